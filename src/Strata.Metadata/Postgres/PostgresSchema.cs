namespace Strata.Metadata.Postgres;

/// <summary>
/// The versioned schema of <see cref="PostgresMetadataStore"/>: the same tables, columns and version
/// numbers as <c>SqliteSchema</c>, in PostgreSQL types. Migrations are append-only: never edit a
/// shipped one, add the next version instead. <c>schema_version</c> records every version applied.
/// </summary>
/// <remarks>
/// <para>
/// Types: timestamps are UTC unix milliseconds in <c>bigint</c>, as in SQLite, because every time
/// comes from the store's <see cref="TimeProvider"/> (never the server clock, which replicas do not
/// share and tests cannot move) and millisecond precision must match the SQLite store exactly.
/// Manifest bytes are <c>bytea</c>; upload ids are <c>uuid</c>; ids are identity columns, which,
/// like SQLite's AUTOINCREMENT, are never handed out twice.
/// </para>
/// <para>
/// Every name or digest that is compared, ordered or paged is <c>COLLATE "C"</c>: byte order of
/// UTF-8, which is the ordinal order the contracts ask for, whatever the database's default
/// collation (an en_US database would otherwise sort "B" between "a" and "b"); it is also the cheapest
/// comparison.
/// </para>
/// <para>
/// Indexes follow the questions asked, as in SQLite, with <c>id</c> added where SQLite got it free from
/// the rowid. Jobs differ: one partial index over active jobs in (not_before, id) order serves
/// leasing, because a due job always has not_before ≤ now (a running job was leased at or after its
/// not_before, and its lease_until is later still); the scan stops at the first due job it can lock.
/// </para>
/// </remarks>
internal static class PostgresSchema
{
    /// <summary>Every migration in order; <c>Version</c> is 1-based and contiguous.</summary>
    public static readonly IReadOnlyList<(int Version, string Sql)> Migrations =
    [
        (1, """
            CREATE TABLE repositories (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name text COLLATE "C" NOT NULL UNIQUE,
                created_at bigint NOT NULL
            );

            CREATE TABLE blobs (
                digest text COLLATE "C" PRIMARY KEY,
                size bigint NOT NULL,
                created_at bigint NOT NULL
            );

            CREATE TABLE repository_blobs (
                repository_id bigint NOT NULL REFERENCES repositories (id),
                digest text COLLATE "C" NOT NULL REFERENCES blobs (digest),
                created_at bigint NOT NULL,
                PRIMARY KEY (repository_id, digest)
            );
            CREATE INDEX ix_repository_blobs_digest ON repository_blobs (digest);

            CREATE TABLE manifests (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                repository_id bigint NOT NULL REFERENCES repositories (id),
                digest text COLLATE "C" NOT NULL,
                media_type text NOT NULL,
                artifact_type text,
                size bigint NOT NULL,
                subject_digest text COLLATE "C",
                annotations_json text,
                content bytea NOT NULL,
                created_at bigint NOT NULL,
                UNIQUE (repository_id, digest)
            );
            CREATE INDEX ix_manifests_referrers ON manifests (repository_id, subject_digest, digest);

            CREATE TABLE manifest_blob_references (
                manifest_id bigint NOT NULL REFERENCES manifests (id),
                digest text COLLATE "C" NOT NULL REFERENCES blobs (digest),
                PRIMARY KEY (manifest_id, digest)
            );
            CREATE INDEX ix_manifest_blob_references_digest ON manifest_blob_references (digest, manifest_id);

            CREATE TABLE manifest_manifest_references (
                manifest_id bigint NOT NULL REFERENCES manifests (id),
                child_digest text COLLATE "C" NOT NULL,
                PRIMARY KEY (manifest_id, child_digest)
            );
            CREATE INDEX ix_manifest_manifest_references_child ON manifest_manifest_references (child_digest, manifest_id);

            CREATE TABLE tags (
                repository_id bigint NOT NULL REFERENCES repositories (id),
                name text COLLATE "C" NOT NULL,
                manifest_id bigint NOT NULL REFERENCES manifests (id),
                updated_at bigint NOT NULL,
                PRIMARY KEY (repository_id, name)
            );
            CREATE INDEX ix_tags_manifest ON tags (manifest_id);

            -- The repository is kept by name, not id: starting an upload must not create a
            -- repository (IRepositoryStore: only a blob link or a manifest does).
            CREATE TABLE upload_sessions (
                id uuid PRIMARY KEY,
                repository text COLLATE "C" NOT NULL,
                size bigint NOT NULL,
                started_at bigint NOT NULL,
                updated_at bigint NOT NULL
            );
            CREATE INDEX ix_upload_sessions_updated_at ON upload_sessions (updated_at, id);

            -- Ids commit in id order because every writer appends its events last, under one
            -- transaction-level advisory lock (PostgresMetadataStore.AppendEventsAsync), so a reader's
            -- "after id" cursor never skips an event that commits late.
            CREATE TABLE outbox (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                kind text NOT NULL,
                repository text NOT NULL,
                digest text,
                tag text,
                media_type text,
                created_at bigint NOT NULL
            );
            """),
        (2, """
            -- state is JobState as its integer (0 queued, 1 running, 2 succeeded, 3 failed).
            -- pending_payload / pending_not_before hold a follow-up request that arrived while the job
            -- was running (IJobQueue.EnqueueAsync); lease_owner / lease_until are set only while running.
            CREATE TABLE jobs (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                kind text COLLATE "C" NOT NULL,
                key text COLLATE "C" NOT NULL,
                payload text NOT NULL,
                state integer NOT NULL,
                attempts integer NOT NULL,
                not_before bigint NOT NULL,
                lease_owner text,
                lease_until bigint,
                error text,
                result text,
                pending_payload text,
                pending_not_before bigint,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL
            );

            -- The invariant "one active job per (kind, key)", enforced by the database (concurrent
            -- enqueues from several replicas meet here: INSERT … ON CONFLICT DO NOTHING); also the
            -- enqueue lookup.
            CREATE UNIQUE INDEX ux_jobs_active ON jobs (kind, key) WHERE state IN (0, 1);

            -- Leasing: active jobs in lease order (see PostgresSchema remarks). Partial, so the ended
            -- jobs that pile up over time cost it nothing.
            CREATE INDEX ix_jobs_due ON jobs (not_before, id) WHERE state IN (0, 1);

            -- The newest job of a key (status pages) and a kind's jobs, newest first, in all states or
            -- in one; ended jobs pile up, so none of these may sort a kind's whole history.
            CREATE INDEX ix_jobs_kind_key ON jobs (kind, key, id);
            CREATE INDEX ix_jobs_kind ON jobs (kind, id);
            CREATE INDEX ix_jobs_kind_state ON jobs (kind, state, id);

            CREATE TABLE outbox_cursors (
                consumer text COLLATE "C" PRIMARY KEY,
                event_id bigint NOT NULL,
                updated_at bigint NOT NULL
            );
            """),
        (3, """
            -- Garbage collection (IGarbageCollectionStore), the same tables as SQLite's version 3.
            ALTER TABLE blobs ADD COLUMN deleting_since bigint;

            CREATE TABLE gc_blob_reviews (
                digest text COLLATE "C" PRIMARY KEY,
                reason text NOT NULL,
                event_at bigint NOT NULL,
                lease_until bigint,
                attempts integer NOT NULL DEFAULT 0,
                created_at bigint NOT NULL
            );
            CREATE INDEX ix_gc_blob_reviews_due ON gc_blob_reviews (event_at);

            CREATE TABLE gc_manifest_reviews (
                repository_id bigint NOT NULL,
                digest text COLLATE "C" NOT NULL,
                reason text NOT NULL,
                event_at bigint NOT NULL,
                lease_until bigint,
                attempts integer NOT NULL DEFAULT 0,
                created_at bigint NOT NULL,
                PRIMARY KEY (repository_id, digest)
            );
            CREATE INDEX ix_gc_manifest_reviews_due ON gc_manifest_reviews (event_at);

            CREATE TABLE gc_runs (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                trigger_name text NOT NULL,
                dry_run boolean NOT NULL,
                started_at bigint NOT NULL,
                finished_at bigint NOT NULL,
                status text NOT NULL,
                manifests_deleted bigint NOT NULL,
                blobs_deleted bigint NOT NULL,
                links_pruned bigint NOT NULL,
                uploads_expired bigint NOT NULL,
                orphans_deleted bigint NOT NULL,
                bytes_freed bigint NOT NULL,
                error text
            );
            """),
        (4, PostgresIdentitySchema.Migration),
        (5, """
            -- Pruning ended jobs past their retention (PruneEndedJobsAsync) reads only old ended jobs.
            -- (Version 4 in both stores; SQLite also gains its (kind, id) index here, which PostgreSQL
            -- has had since version 2.)
            CREATE INDEX ix_jobs_ended ON jobs (updated_at) WHERE state IN (2, 3);
            """),
    ];

    public static int LatestVersion => Migrations[^1].Version;

    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version integer PRIMARY KEY,
            applied_at bigint NOT NULL
        )
        """;

    /// <summary>
    /// The transaction-level advisory lock that serializes migrations (replicas starting together).
    /// Advisory locks are per database, so other databases on the server are not affected.
    /// </summary>
    public const long MigrationLockKey = 0x5374_7261_7461_4D01; // "StrataM" 01

    /// <summary>
    /// The transaction-level advisory lock every writer takes just before appending outbox events and
    /// holds until commit, so outbox ids become visible in id order.
    /// </summary>
    public const long OutboxLockKey = 0x5374_7261_7461_4F01; // "StrataO" 01
}
