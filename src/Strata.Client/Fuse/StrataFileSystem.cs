using System.Collections.Concurrent;
using Strata.Client.Repository;
using Strata.Cvmfs;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Fuse;

/// <summary>
/// The read-only file system served over FUSE: kernel requests in, catalog lookups and cached object
/// reads out. Every failure to get verified data becomes EIO; nothing unverified is ever returned.
/// </summary>
internal sealed partial class StrataFileSystem
{
    private const uint FuseMajor = 7;
    private const uint MaxMinor = 38;

    private readonly RepositoryClient _client;
    private readonly MountOptions _options;
    private readonly NodeTable _nodes;
    private readonly ConcurrentDictionary<ulong, FileContent> _files = new();
    private readonly ConcurrentDictionary<ulong, DirectoryListing> _directories = new();
    private FuseSession? _session;
    private long _nextHandle;

    public StrataFileSystem(RepositoryClient client, MountOptions options, RepositoryEntry root)
    {
        _client = client;
        _options = options;
        _nodes = new NodeTable(root, client.Current);
    }

    /// <summary>Open files (for tests and the status file).</summary>
    public int OpenFiles => _files.Count;

    public void Attach(FuseSession session) => _session = session;

    private FuseSession Session => _session ?? throw new InvalidOperationException("No session attached.");

    private TimeSpan Timeout => _options.KernelCacheTimeout;

    public async ValueTask DispatchAsync(FuseRequest request)
    {
        using (request)
        {
            try
            {
                switch (request.Opcode)
                {
                    case FuseOpcode.Init: Init(request); break;
                    case FuseOpcode.Destroy: Session.ReplyError(request.Unique, 0); break;
                    case FuseOpcode.Forget: _nodes.Forget(request.NodeId, request.U64(0)); break;
                    case FuseOpcode.BatchForget: BatchForget(request); break;
                    case FuseOpcode.Interrupt: break;
                    case FuseOpcode.Lookup: await LookupAsync(request).ConfigureAwait(false); break;
                    case FuseOpcode.GetAttr: await GetAttrAsync(request).ConfigureAwait(false); break;
                    case FuseOpcode.ReadLink: ReadLink(request); break;
                    case FuseOpcode.Open: await OpenAsync(request).ConfigureAwait(false); break;
                    case FuseOpcode.Read: await ReadAsync(request).ConfigureAwait(false); break;
                    case FuseOpcode.Release: await ReleaseAsync(request).ConfigureAwait(false); break;
                    case FuseOpcode.OpenDir: await OpenDirAsync(request).ConfigureAwait(false); break;
                    case FuseOpcode.ReadDir: ReadDir(request, plus: false); break;
                    case FuseOpcode.ReadDirPlus: ReadDir(request, plus: true); break;
                    case FuseOpcode.ReleaseDir: ReleaseDir(request); break;
                    case FuseOpcode.StatFs: StatFs(request); break;
                    case FuseOpcode.GetXattr: await GetXattrAsync(request).ConfigureAwait(false); break;
                    case FuseOpcode.ListXattr: ListXattr(request); break;
                    case FuseOpcode.Flush or FuseOpcode.FSync or FuseOpcode.FSyncDir or FuseOpcode.SyncFs:
                        Session.ReplyError(request.Unique, 0);
                        break;
                    case FuseOpcode.SetAttr or FuseOpcode.Symlink or FuseOpcode.MkNod or FuseOpcode.MkDir or FuseOpcode.Unlink
                        or FuseOpcode.RmDir or FuseOpcode.Rename or FuseOpcode.Link or FuseOpcode.Write or FuseOpcode.SetXattr
                        or FuseOpcode.RemoveXattr or FuseOpcode.Create or FuseOpcode.Rename2 or FuseOpcode.FAllocate
                        or FuseOpcode.CopyFileRange or FuseOpcode.TmpFile:
                        Session.ReplyError(request.Unique, Errno.ERoFs);
                        break;
                    default:
                        // ACCESS, locks, ioctl, poll, lseek, bmap: the kernel handles them itself after ENOSYS.
                        Session.ReplyError(request.Unique, Errno.ENoSys);
                        break;
                }
            }
            catch (Exception e) when (e is CvmfsNotFoundException)
            {
                Session.ReplyError(request.Unique, Errno.ENoEnt);
            }
            catch (Exception)
            {
                // Network down, verification failed, corrupt catalog: the caller sees EIO, never bad data.
                _client.Statistics.IoError();
                Session.ReplyError(request.Unique, Errno.EIo);
            }
        }
    }

    private void Init(FuseRequest request)
    {
        var major = request.U32(0);
        var minor = request.U32(4);
        var maxReadahead = request.U32(8);
        var kernelFlags = request.U32(12);
        if (major != FuseMajor)
        {
            // An older/newer major: answer with ours and let the kernel decide (it re-sends INIT or fails).
            var reject = new byte[FuseSession.OutHeaderSize + 8];
            var w = new ReplyWriter(reject);
            w.U32(FuseMajor);
            w.U32(MaxMinor);
            Session.Reply(request.Unique, reject, w.Position);
            return;
        }

        const uint AsyncRead = 1 << 0;
        const uint BigWrites = 1 << 5;
        const uint AutoInvalData = 1 << 12;
        const uint DoReaddirplus = 1 << 13;
        const uint ReaddirplusAuto = 1 << 14;
        const uint ParallelDirops = 1 << 18;
        const uint MaxPages = 1 << 22;
        const uint CacheSymlinks = 1 << 23;
        var flags = kernelFlags & (AsyncRead | BigWrites | AutoInvalData | DoReaddirplus | ReaddirplusAuto | ParallelDirops | MaxPages | CacheSymlinks);
        var reply = new byte[FuseSession.OutHeaderSize + 64];
        var writer = new ReplyWriter(reply);
        writer.U32(FuseMajor);
        writer.U32(Math.Min(minor, MaxMinor));
        writer.U32(Math.Min(maxReadahead, 1024 * 1024));
        writer.U32(flags);
        writer.U16(64); // max_background
        writer.U16(48); // congestion_threshold
        writer.U32(128 * 1024); // max_write (nothing is ever written)
        writer.U32(1); // time_gran: nanoseconds
        writer.U16((flags & MaxPages) != 0 ? (ushort)256 : (ushort)0); // 1 MiB reads
        writer.U16(0);
        writer.U32(0);
        writer.Zeros(28);
        Session.Reply(request.Unique, reply, writer.Position);
    }

    private void BatchForget(FuseRequest request)
    {
        var count = request.U32(0);
        for (var i = 0; i < count; i++)
        {
            var at = 8 + (i * 16);
            if (at + 16 > request.BodyLength)
            {
                break;
            }

            _nodes.Forget(request.U64(at), request.U64(at + 8));
        }
    }

    private void StatFs(FuseRequest request)
    {
        var quota = _client.Cache.QuotaBytes > 0 ? _client.Cache.QuotaBytes : 1L << 40;
        var used = _client.Cache.UsedBytes;
        var reply = new byte[FuseSession.OutHeaderSize + 80];
        var writer = new ReplyWriter(reply);
        writer.U64((ulong)(quota / 4096));
        writer.U64((ulong)(Math.Max(0, quota - used) / 4096));
        writer.U64((ulong)(Math.Max(0, quota - used) / 4096));
        writer.U64((ulong)_nodes.Count);
        writer.U64(0);
        writer.U32(4096);
        writer.U32(255);
        writer.U32(4096);
        writer.Zeros(4 + 24);
        Session.Reply(request.Unique, reply, writer.Position);
    }

    private FsNode NodeOf(FuseRequest request) =>
        _nodes.Get(request.NodeId) ?? throw new CvmfsNotFoundException($"inode {request.NodeId}");
}
