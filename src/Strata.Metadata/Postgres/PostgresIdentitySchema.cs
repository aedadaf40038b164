namespace Strata.Metadata.Postgres;

/// <summary>
/// Schema version 4 in PostgreSQL types: the same tables and columns as <c>SqliteIdentitySchema</c>
/// (booleans are <c>boolean</c>, names <c>COLLATE "C"</c>).
/// </summary>
internal static class PostgresIdentitySchema
{
    public const string Migration = """
        CREATE TABLE users (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            username text COLLATE "C" NOT NULL UNIQUE,
            email text,
            full_name text,
            password_hash text NOT NULL,
            is_admin boolean NOT NULL,
            stamp text NOT NULL,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL
        );

        CREATE TABLE projects (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text COLLATE "C" NOT NULL UNIQUE,
            is_public boolean NOT NULL,
            storage_quota bigint NOT NULL,
            publish_private boolean NOT NULL,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL
        );

        CREATE TABLE project_members (
            project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            role text NOT NULL,
            created_at bigint NOT NULL,
            PRIMARY KEY (project_id, user_id)
        );
        CREATE INDEX ix_project_members_user ON project_members (user_id);

        CREATE TABLE robots (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text COLLATE "C" NOT NULL UNIQUE,
            description text,
            project_id bigint REFERENCES projects (id) ON DELETE CASCADE,
            secret_hash text NOT NULL,
            stamp text NOT NULL,
            expires_at bigint,
            disabled boolean NOT NULL,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL
        );
        CREATE INDEX ix_robots_project ON robots (project_id);

        CREATE TABLE robot_permissions (
            robot_id bigint NOT NULL REFERENCES robots (id) ON DELETE CASCADE,
            project_id bigint REFERENCES projects (id) ON DELETE CASCADE,
            access text NOT NULL
        );
        CREATE INDEX ix_robot_permissions_robot ON robot_permissions (robot_id);
        CREATE INDEX ix_robot_permissions_project ON robot_permissions (project_id);

        CREATE TABLE audit_log (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at bigint NOT NULL,
            actor text COLLATE "C" NOT NULL,
            action text COLLATE "C" NOT NULL,
            resource text NOT NULL,
            project text COLLATE "C",
            success boolean NOT NULL,
            client text,
            detail text
        );
        CREATE INDEX ix_audit_log_project ON audit_log (project, id);
        CREATE INDEX ix_audit_log_actor ON audit_log (actor, id);
        """;
}
