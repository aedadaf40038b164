using System.CommandLine;
using Strata.Cli.Commands;
using Strata.Mount;

if (args is ["mount", .. var mountArguments])
{
    NativeMountHandover.ExecIfPresent(mountArguments);
}

var root = new RootCommand("Strata: an OCI registry that publishes images as a CernVM-FS repository.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(MountCommand.Configure(new Command("mount", MountCommand.Description)));
root.Subcommands.Add(CheckoutCommand.Create());
root.Subcommands.Add(PublishCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(MirrorCommand.Create());
root.Subcommands.Add(GcCommand.Create());
root.Subcommands.Add(Strata.Cli.Commands.Identity.UserCommand.Create());
root.Subcommands.Add(Strata.Cli.Commands.Identity.ProjectCommand.Create());
root.Subcommands.Add(Strata.Cli.Commands.Identity.RobotCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
return await root.Parse(args).InvokeAsync();
