using System.Globalization;
using System.Runtime.InteropServices;
using Strata.Client.Repository;

namespace Strata.Client.Fuse;

/// <summary>
/// A live mount: /dev/fuse opened, mount(2) done, reader threads serving. Unmount with
/// <see cref="Unmount"/> (or externally with <c>umount -l</c> / <c>fusermount3 -u</c>); either way
/// <see cref="Completion"/> finishes.
/// </summary>
public sealed class FuseMount : IAsyncDisposable
{
    private readonly int _fd;
    private readonly FuseSession _session;
    private readonly StrataFileSystem _fileSystem;
    private readonly uint? _device;
    private int _unmounted;

    private FuseMount(string mountpoint, int fd, FuseSession session, StrataFileSystem fileSystem, uint? device)
    {
        Mountpoint = mountpoint;
        _fd = fd;
        _session = session;
        _fileSystem = fileSystem;
        _device = device;

        // The descriptor is closed only once no reader thread can be inside read(2) on it.
        _ = session.Completion.ContinueWith(_ => LibC.Close(fd), TaskScheduler.Default);
    }

    /// <summary>The mount point (absolute).</summary>
    public string Mountpoint { get; }

    /// <summary>Completes when the kernel has dropped the mount.</summary>
    public Task Completion => _session.Completion;

    /// <summary>The FUSE connection number (<c>/sys/fs/fuse/connections/N</c>), when known.</summary>
    public uint? Connection => _device;

    /// <summary>Files currently open through the mount.</summary>
    public int OpenFiles => _fileSystem.OpenFiles;

    /// <summary>Mounts <paramref name="client"/>'s repository at <see cref="MountOptions.Mountpoint"/>.</summary>
    public static async Task<FuseMount> StartAsync(RepositoryClient client, MountOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var mountpoint = Path.GetFullPath(options.Mountpoint);

        // A previous client on this mount point that was killed left a dead mount: replace it.
        await DeadMount.DetachAtAsync(mountpoint).ConfigureAwait(false);
        if (!Directory.Exists(mountpoint))
        {
            throw new DirectoryNotFoundException($"No mount point directory at {mountpoint}.");
        }

        var root = await client.Current.Reader.LookupAsync("/", cancellationToken).ConfigureAwait(false)
            ?? throw new IOException("The repository has no root entry.");
        var fd = LibC.Open("/dev/fuse", LibC.ORdWr | LibC.OCloExec);
        if (fd < 0)
        {
            throw new IOException($"Cannot open /dev/fuse (errno {Marshal.GetLastPInvokeError()}); is the fuse module loaded?");
        }

        var data = string.Create(CultureInfo.InvariantCulture, $"fd={fd},rootmode=40000,user_id={LibC.GetUid()},group_id={LibC.GetGid()},default_permissions")
            + (options.AllowOther ? ",allow_other" : string.Empty);
        if (LibC.Mount("strata", mountpoint, "fuse.strata", LibC.MsRdOnly | LibC.MsNoSuid | LibC.MsNoDev, data) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            LibC.Close(fd);
            throw new IOException($"mount({mountpoint}) failed with errno {errno}; mounting needs root (CAP_SYS_ADMIN).");
        }

        var fileSystem = new StrataFileSystem(client, options, root);
        var session = new FuseSession(fd, fileSystem.DispatchAsync);
        fileSystem.Attach(session);
        session.Start(Math.Max(1, options.ReaderThreads));
        return new FuseMount(mountpoint, fd, session, fileSystem, FuseConnection.DeviceOf(mountpoint));
    }

    /// <summary>Detaches the mount (lazily, like <c>umount -l</c>) and stops serving.</summary>
    public void Unmount()
    {
        if (Interlocked.Exchange(ref _unmounted, 1) != 0)
        {
            return;
        }

        LibC.Umount2(Mountpoint, LibC.MntDetach);

        // Aborting the connection fails whatever is still pending (ENOTCONN), so nothing hangs on a
        // mount that is going away, and the reader threads see ENODEV and stop.
        if (_device is uint device)
        {
            FuseConnection.Abort(device);
        }
    }

    /// <summary>Lazily unmounts any mount at <paramref name="mountpoint"/> (for tests and crash recovery).</summary>
    public static bool TryDetach(string mountpoint) => LibC.Umount2(Path.GetFullPath(mountpoint), LibC.MntDetach) == 0;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Unmount();
        await Completion.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
