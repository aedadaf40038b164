using System.CommandLine;
using Strata.Mount;

var root = MountCommand.Configure(new RootCommand(MountCommand.Description));
return await root.Parse(args).InvokeAsync();
