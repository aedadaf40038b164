namespace Strata.Metadata.Sqlite;

/// <summary>
/// Schema version 4: identity and access (users, projects, members, robots, audit log). Kept in
/// its own file so the migration list in <see cref="SqliteSchema"/> only gains one line.
/// </summary>
/// <remarks>
/// Booleans are INTEGER 0/1; times unix milliseconds as everywhere. Deleting a user, project or
/// robot cascades to what hangs off it (the connection turns foreign keys on). A robot permission
/// with a NULL project covers every project (Harbor's "cover all projects").
/// </remarks>
internal static class SqliteIdentitySchema
{
    public const string Migration = """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT NOT NULL COLLATE BINARY UNIQUE,
            email TEXT,
            full_name TEXT,
            password_hash TEXT NOT NULL,
            is_admin INTEGER NOT NULL,
            stamp TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );

        CREATE TABLE projects (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL COLLATE BINARY UNIQUE,
            is_public INTEGER NOT NULL,
            storage_quota INTEGER NOT NULL,
            publish_private INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );

        CREATE TABLE project_members (
            project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (project_id, user_id)
        );
        CREATE INDEX ix_project_members_user ON project_members (user_id);

        CREATE TABLE robots (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL COLLATE BINARY UNIQUE,
            description TEXT,
            project_id INTEGER REFERENCES projects (id) ON DELETE CASCADE,
            secret_hash TEXT NOT NULL,
            stamp TEXT NOT NULL,
            expires_at INTEGER,
            disabled INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX ix_robots_project ON robots (project_id);

        CREATE TABLE robot_permissions (
            robot_id INTEGER NOT NULL REFERENCES robots (id) ON DELETE CASCADE,
            project_id INTEGER REFERENCES projects (id) ON DELETE CASCADE,
            access TEXT NOT NULL
        );
        CREATE INDEX ix_robot_permissions_robot ON robot_permissions (robot_id);
        CREATE INDEX ix_robot_permissions_project ON robot_permissions (project_id);

        -- Newest first by id; the project index serves a project's own log page.
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            resource TEXT NOT NULL,
            project TEXT,
            success INTEGER NOT NULL,
            client TEXT,
            detail TEXT
        );
        CREATE INDEX ix_audit_log_project ON audit_log (project, id);
        CREATE INDEX ix_audit_log_actor ON audit_log (actor, id);
        """;
}
