namespace Strata.Metadata.Sqlite;

/// <summary>
/// The versioned schema of <see cref="SqliteMetadataStore"/>. Migrations are append-only: never edit a
/// shipped one, add the next version instead. <c>schema_version</c> records every version applied.
/// </summary>
/// <remarks>
/// <para>
/// Conventions, kept portable so the PostgreSQL store can mirror the same tables:
/// timestamps are UTC unix milliseconds in INTEGER columns (sub-millisecond precision is dropped);
/// digests are their <c>algorithm:hex</c> text; upload ids are GUID text ("D" format).
/// Names compare with BINARY collation: byte order of UTF-8, which is ordinal order for the
/// ASCII names OCI allows (PostgreSQL needs <c>COLLATE "C"</c> for the same order).
/// </para>
/// <para>
/// Indexes follow the questions asked: tags and repositories page by their unique keys
/// (<c>name &gt; @last ORDER BY name LIMIT n</c> is a range scan of the key index); referrers by
/// (repository_id, subject_digest, digest), which also yields digest order; and garbage collection asks
/// "is this blob / manifest referenced or linked anywhere?" through the digest-first indexes.
/// </para>
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>Every migration in order; <c>Version</c> is 1-based and contiguous.</summary>
    public static readonly IReadOnlyList<(int Version, string Sql)> Migrations =
    [
        (1, """
            CREATE TABLE repositories (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL COLLATE BINARY UNIQUE,
                created_at INTEGER NOT NULL
            );

            CREATE TABLE blobs (
                digest TEXT PRIMARY KEY,
                size INTEGER NOT NULL,
                created_at INTEGER NOT NULL
            );

            CREATE TABLE repository_blobs (
                repository_id INTEGER NOT NULL REFERENCES repositories (id),
                digest TEXT NOT NULL REFERENCES blobs (digest),
                created_at INTEGER NOT NULL,
                PRIMARY KEY (repository_id, digest)
            );
            CREATE INDEX ix_repository_blobs_digest ON repository_blobs (digest);

            CREATE TABLE manifests (
                id INTEGER PRIMARY KEY,
                repository_id INTEGER NOT NULL REFERENCES repositories (id),
                digest TEXT NOT NULL,
                media_type TEXT NOT NULL,
                artifact_type TEXT,
                size INTEGER NOT NULL,
                subject_digest TEXT,
                annotations_json TEXT,
                content BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                UNIQUE (repository_id, digest)
            );
            CREATE INDEX ix_manifests_referrers ON manifests (repository_id, subject_digest, digest);

            CREATE TABLE manifest_blob_references (
                manifest_id INTEGER NOT NULL REFERENCES manifests (id),
                digest TEXT NOT NULL REFERENCES blobs (digest),
                PRIMARY KEY (manifest_id, digest)
            );
            CREATE INDEX ix_manifest_blob_references_digest ON manifest_blob_references (digest, manifest_id);

            CREATE TABLE manifest_manifest_references (
                manifest_id INTEGER NOT NULL REFERENCES manifests (id),
                child_digest TEXT NOT NULL,
                PRIMARY KEY (manifest_id, child_digest)
            );
            CREATE INDEX ix_manifest_manifest_references_child ON manifest_manifest_references (child_digest, manifest_id);

            CREATE TABLE tags (
                repository_id INTEGER NOT NULL REFERENCES repositories (id),
                name TEXT NOT NULL COLLATE BINARY,
                manifest_id INTEGER NOT NULL REFERENCES manifests (id),
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (repository_id, name)
            );
            CREATE INDEX ix_tags_manifest ON tags (manifest_id);

            -- The repository is kept by name, not id: starting an upload must not create a
            -- repository (IRepositoryStore: only a blob link or a manifest does).
            CREATE TABLE upload_sessions (
                id TEXT PRIMARY KEY,
                repository TEXT NOT NULL,
                size INTEGER NOT NULL,
                started_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE INDEX ix_upload_sessions_updated_at ON upload_sessions (updated_at);

            -- AUTOINCREMENT: ids are never reused, even after the newest rows are deleted, so a
            -- reader's "after id" cursor stays valid. Writes are serialized, so ids also commit in order.
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                repository TEXT NOT NULL,
                digest TEXT,
                tag TEXT,
                media_type TEXT,
                created_at INTEGER NOT NULL
            );
            """),
        (2, """
            -- state is JobState as its integer (0 queued, 1 running, 2 succeeded, 3 failed).
            -- pending_payload / pending_not_before hold a follow-up request that arrived while the job
            -- was running (IJobQueue.EnqueueAsync); lease_owner / lease_until are set only while running.
            -- AUTOINCREMENT: ids never come back after the newest job is deleted, so "newest" stays id order.
            CREATE TABLE jobs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL COLLATE BINARY,
                key TEXT NOT NULL COLLATE BINARY,
                payload TEXT NOT NULL,
                state INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                not_before INTEGER NOT NULL,
                lease_owner TEXT,
                lease_until INTEGER,
                error TEXT,
                result TEXT,
                pending_payload TEXT,
                pending_not_before INTEGER,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );

            -- The invariant "one active job per (kind, key)", enforced by the database rather than trusted
            -- to the callers; also the enqueue lookup.
            CREATE UNIQUE INDEX ux_jobs_active ON jobs (kind, key) WHERE state IN (0, 1);

            -- Leasing asks, per kind, "the oldest due job": queued by not_before, running by expired
            -- lease_until. Partial, so the ended jobs that pile up over time cost these indexes nothing.
            CREATE INDEX ix_jobs_queued ON jobs (kind, not_before) WHERE state = 0;
            CREATE INDEX ix_jobs_leases ON jobs (kind, lease_until) WHERE state = 1;

            -- The newest job of a key (status pages) and a kind's jobs by state, newest first; the rowid
            -- at the end of each index entry gives id order without a sort.
            CREATE INDEX ix_jobs_kind_key ON jobs (kind, key);
            CREATE INDEX ix_jobs_kind_state ON jobs (kind, state);

            CREATE TABLE outbox_cursors (
                consumer TEXT PRIMARY KEY,
                event_id INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            """),
        (3, """
            -- Garbage collection (IGarbageCollectionStore). deleting_since marks a blob whose bytes GC is
            -- deleting: links to it are refused until the row is gone.
            ALTER TABLE blobs ADD COLUMN deleting_since INTEGER;

            -- Review queues, fed by the write paths in their own transactions. A review is due at
            -- event_at + grace period (the grace is policy, not data, so it is applied when taking reviews);
            -- a later event postpones it. lease_until is set while a worker owns the review.
            CREATE TABLE gc_blob_reviews (
                digest TEXT PRIMARY KEY,
                reason TEXT NOT NULL,
                event_at INTEGER NOT NULL,
                lease_until INTEGER,
                attempts INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX ix_gc_blob_reviews_due ON gc_blob_reviews (event_at);

            -- Keyed by (repository, digest), not manifest id: SQLite may hand a deleted manifest's id to a
            -- new one, which must not inherit an older review.
            CREATE TABLE gc_manifest_reviews (
                repository_id INTEGER NOT NULL,
                digest TEXT NOT NULL,
                reason TEXT NOT NULL,
                event_at INTEGER NOT NULL,
                lease_until INTEGER,
                attempts INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (repository_id, digest)
            );
            CREATE INDEX ix_gc_manifest_reviews_due ON gc_manifest_reviews (event_at);

            CREATE TABLE gc_runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                trigger_name TEXT NOT NULL,
                dry_run INTEGER NOT NULL,
                started_at INTEGER NOT NULL,
                finished_at INTEGER NOT NULL,
                status TEXT NOT NULL,
                manifests_deleted INTEGER NOT NULL,
                blobs_deleted INTEGER NOT NULL,
                links_pruned INTEGER NOT NULL,
                uploads_expired INTEGER NOT NULL,
                orphans_deleted INTEGER NOT NULL,
                bytes_freed INTEGER NOT NULL,
                error TEXT
            );
            """),
        (4, SqliteIdentitySchema.Migration),
        (5, """
            -- A kind's jobs in all states, newest first (ListJobsAsync without a state): (kind, rowid)
            -- is already in id order, where ix_jobs_kind_key / ix_jobs_kind_state would need a sort of
            -- the kind's whole history.
            CREATE INDEX ix_jobs_kind ON jobs (kind);

            -- Pruning ended jobs past their retention (PruneEndedJobsAsync) reads only old ended jobs.
            CREATE INDEX ix_jobs_ended ON jobs (updated_at) WHERE state IN (2, 3);
            """),
    ];

    public static int LatestVersion => Migrations[^1].Version;

    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY,
            applied_at INTEGER NOT NULL
        )
        """;
}
