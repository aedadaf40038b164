namespace Strata.Server.Management;

/// <summary>The management API's OpenAPI document (served by <see cref="OpenApiEndpoints"/>).</summary>
internal static class OpenApiDocument
{
    public const string Json = """
{
  "openapi": "3.1.0",
  "info": {
    "title": "Strata management API",
    "version": "1",
    "description": "Users, projects, members, robot accounts, the audit log and CernVM-FS publication. Authenticate with HTTP Basic (user or robot$ name and password/secret) or a bearer token from /service/token. Errors are RFC 9457 problem details."
  },
  "servers": [{ "url": "/" }],
  "security": [{ "basic": [] }, { "bearer": [] }, {}],
  "paths": {
    "/api/v1/users": {
      "get": { "summary": "List users (system administrator)", "responses": { "200": { "description": "users", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/User" } } } } }, "401": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" } } },
      "post": { "summary": "Create a user (system administrator)", "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UserCreate" } } } }, "responses": { "201": { "description": "created", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/User" } } } }, "400": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" }, "409": { "$ref": "#/components/responses/Problem" }, "413": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/users/current": {
      "get": { "summary": "The signed-in user", "responses": { "200": { "description": "user", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/User" } } } }, "401": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/users/{username}": {
      "parameters": [{ "name": "username", "in": "path", "required": true, "schema": { "type": "string" } }],
      "get": { "summary": "A user (itself or an administrator)", "responses": { "200": { "description": "user", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/User" } } } }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } },
      "patch": { "summary": "Change email, full name or (administrator) the administrator flag", "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UserUpdate" } } } }, "responses": { "200": { "description": "user", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/User" } } } }, "400": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } },
      "delete": { "summary": "Delete a user (administrator); its tokens stop working at once", "responses": { "204": { "description": "deleted" }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/users/{username}/password": {
      "parameters": [{ "name": "username", "in": "path", "required": true, "schema": { "type": "string" } }],
      "put": { "summary": "Change a password (own: give the current one; administrator: anyone's); revokes existing tokens", "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PasswordChange" } } } }, "responses": { "204": { "description": "changed" }, "400": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/projects": {
      "get": { "summary": "Projects the caller can see", "responses": { "200": { "description": "projects", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Project" } } } } } } },
      "post": { "summary": "Create a project (any signed-in user, who becomes its project admin)", "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ProjectCreate" } } } }, "responses": { "201": { "description": "created", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Project" } } } }, "400": { "$ref": "#/components/responses/Problem" }, "401": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" }, "409": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/projects/{name}": {
      "parameters": [{ "name": "name", "in": "path", "required": true, "schema": { "type": "string" } }],
      "get": { "summary": "A project (project:read)", "responses": { "200": { "description": "project", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Project" } } } }, "404": { "$ref": "#/components/responses/Problem" } } },
      "patch": { "summary": "Change visibility (project:update); quota and private publication (administrator)", "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ProjectUpdate" } } } }, "responses": { "200": { "description": "project", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Project" } } } }, "400": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } },
      "delete": { "summary": "Delete an empty project (project:delete)", "responses": { "204": { "description": "deleted" }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" }, "409": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/projects/{name}/members": {
      "parameters": [{ "name": "name", "in": "path", "required": true, "schema": { "type": "string" } }],
      "get": { "summary": "Members (member:list, guest and up)", "responses": { "200": { "description": "members", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Member" } } } } }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } },
      "post": { "summary": "Add a member or change its role (project admin)", "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/MemberRequest" } } } }, "responses": { "201": { "description": "added" }, "204": { "description": "role changed" }, "400": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/projects/{name}/members/{username}": {
      "parameters": [{ "name": "name", "in": "path", "required": true, "schema": { "type": "string" } }, { "name": "username", "in": "path", "required": true, "schema": { "type": "string" } }],
      "put": { "summary": "Set a member's role (project admin)", "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/MemberRequest" } } } }, "responses": { "201": { "description": "added" }, "204": { "description": "role changed" }, "400": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } },
      "delete": { "summary": "Remove a member (project admin)", "responses": { "204": { "description": "removed" }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/projects/{name}/robots": {
      "parameters": [{ "name": "name", "in": "path", "required": true, "schema": { "type": "string" } }],
      "get": { "summary": "Project-level robots (robot:list)", "responses": { "200": { "description": "robots", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Robot" } } } } }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } },
      "post": { "summary": "Create a project-level robot robot$PROJECT+NAME (project admin); the secret is in this response only", "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RobotCreate" } } } }, "responses": { "201": { "description": "created", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RobotSecret" } } } }, "400": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" }, "409": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/robots": {
      "get": { "summary": "System-level robots (administrator)", "responses": { "200": { "description": "robots", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Robot" } } } } }, "403": { "$ref": "#/components/responses/Problem" } } },
      "post": { "summary": "Create a system-level robot robot$NAME (administrator); the secret is in this response only", "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RobotCreate" } } } }, "responses": { "201": { "description": "created", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RobotSecret" } } } }, "400": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" }, "409": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/robots/{id}": {
      "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
      "get": { "summary": "A robot", "responses": { "200": { "description": "robot", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Robot" } } } }, "400": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } },
      "patch": { "summary": "Change description, disable/enable, expiry (duration in days from now, -1 never) or permissions", "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RobotUpdate" } } } }, "responses": { "200": { "description": "robot", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Robot" } } } }, "400": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } },
      "delete": { "summary": "Delete a robot; its tokens stop working at once", "responses": { "204": { "description": "deleted" }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/robots/{id}/secret": {
      "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
      "post": { "summary": "Rotate the secret: the new one is in this response only; the old one and its tokens stop working at once", "responses": { "200": { "description": "new secret", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RobotSecret" } } } }, "403": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/audit-logs": {
      "get": { "summary": "Audit log, newest first (administrator; others with ?project= and log:list)", "parameters": [
        { "name": "actor", "in": "query", "schema": { "type": "string" } }, { "name": "action", "in": "query", "schema": { "type": "string" } },
        { "name": "project", "in": "query", "schema": { "type": "string" } }, { "name": "from", "in": "query", "schema": { "type": "string", "format": "date-time" } },
        { "name": "to", "in": "query", "schema": { "type": "string", "format": "date-time" } }, { "name": "before", "in": "query", "schema": { "type": "integer" } },
        { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 1000 } }],
        "responses": { "200": { "description": "entries", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/AuditEntry" } } } } }, "400": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/audit-logs/export": {
      "get": { "summary": "Every matching entry as CSV or JSON lines (same filters and access as the list)", "parameters": [{ "name": "format", "in": "query", "schema": { "type": "string", "enum": ["csv", "jsonl"] } }],
        "responses": { "200": { "description": "export", "content": { "text/csv": {}, "application/x-ndjson": {} } }, "400": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/publications": {
      "get": { "summary": "CernVM-FS publication states (administrator when access control is on)", "responses": { "200": { "description": "publications" } } },
      "post": { "summary": "Publish an image now (administrator when access control is on)", "responses": { "202": { "description": "queued" }, "400": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/publications/status": {
      "get": { "summary": "One image's publication state", "parameters": [{ "name": "image", "in": "query", "required": true, "schema": { "type": "string" } }], "responses": { "200": { "description": "state" }, "404": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/publications/whitelist": {
      "put": { "summary": "Install a .cvmfswhitelist signed elsewhere with the master key (administrator when access control is on); verified before use", "requestBody": { "content": { "application/octet-stream": {} } },
        "responses": { "200": { "description": "installed" }, "400": { "$ref": "#/components/responses/Problem" }, "413": { "$ref": "#/components/responses/Problem" } } }
    },
    "/api/v1/gc": {
      "get": { "summary": "Garbage collection history: counts and bytes freed per run (administrator when access control is on)", "parameters": [{ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 1000 } }], "responses": { "200": { "description": "runs" } } },
      "post": { "summary": "Run garbage collection now; a dry run reports exactly what a run would delete", "parameters": [{ "name": "dryRun", "in": "query", "schema": { "type": "boolean" } }, { "name": "sweepStorage", "in": "query", "schema": { "type": "boolean" } }], "responses": { "200": { "description": "report" } } }
    },
    "/api/v1/gc/status": {
      "get": { "summary": "Review backlog and the collection settings", "responses": { "200": { "description": "status" } } }
    },
    "/api/v1/gc/usage": {
      "get": { "summary": "Bytes referenced and shared, per repository and per project", "responses": { "200": { "description": "usage" } } }
    },
    "/api/v1/gc/cvmfs": {
      "post": { "summary": "Collect the CernVM-FS repository: prune unreached images, sweep unreachable objects", "parameters": [{ "name": "dryRun", "in": "query", "schema": { "type": "boolean" } }], "responses": { "200": { "description": "report" } } }
    },
    "/service/token": {
      "get": { "summary": "Docker registry token (Basic credentials or anonymous)", "parameters": [{ "name": "service", "in": "query", "schema": { "type": "string" } }, { "name": "scope", "in": "query", "schema": { "type": "array", "items": { "type": "string" } } }, { "name": "offline_token", "in": "query", "schema": { "type": "boolean" } }],
        "responses": { "200": { "description": "token", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Token" } } } }, "401": { "description": "invalid credentials" }, "429": { "description": "too many failed logins" } } },
      "post": { "summary": "OAuth2 token (grant_type password or refresh_token)", "requestBody": { "content": { "application/x-www-form-urlencoded": { "schema": { "type": "object", "properties": { "grant_type": { "type": "string" }, "username": { "type": "string" }, "password": { "type": "string" }, "refresh_token": { "type": "string" }, "service": { "type": "string" }, "client_id": { "type": "string" }, "scope": { "type": "string" }, "access_type": { "type": "string" } }, "required": ["grant_type", "client_id"] } } } },
        "responses": { "200": { "description": "token", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Token" } } } }, "400": { "description": "invalid request" }, "401": { "description": "invalid grant" } } }
    }
  },
  "components": {
    "securitySchemes": { "basic": { "type": "http", "scheme": "basic" }, "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" } },
    "responses": { "Problem": { "description": "RFC 9457 problem details", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } } },
    "schemas": {
      "Problem": { "type": "object", "properties": { "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" }, "detail": { "type": "string" } } },
      "User": { "type": "object", "properties": { "id": { "type": "integer" }, "username": { "type": "string" }, "email": { "type": ["string", "null"] }, "fullName": { "type": ["string", "null"] }, "isAdmin": { "type": "boolean" }, "createdAt": { "type": "string", "format": "date-time" }, "updatedAt": { "type": "string", "format": "date-time" } } },
      "UserCreate": { "type": "object", "additionalProperties": false, "required": ["username", "password"], "properties": { "username": { "type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$" }, "password": { "type": "string", "minLength": 8, "maxLength": 128, "description": "with a lowercase letter, an uppercase letter and a digit" }, "email": { "type": "string", "maxLength": 255 }, "fullName": { "type": "string", "maxLength": 255 }, "isAdmin": { "type": "boolean" } } },
      "UserUpdate": { "type": "object", "additionalProperties": false, "properties": { "email": { "type": "string", "maxLength": 255 }, "fullName": { "type": "string", "maxLength": 255 }, "isAdmin": { "type": "boolean" } } },
      "PasswordChange": { "type": "object", "additionalProperties": false, "required": ["newPassword"], "properties": { "currentPassword": { "type": "string" }, "newPassword": { "type": "string" } } },
      "Project": { "type": "object", "properties": { "id": { "type": "integer" }, "name": { "type": "string" }, "public": { "type": "boolean" }, "storageQuotaBytes": { "type": "integer", "description": "-1 unlimited" }, "publishPrivate": { "type": "boolean" }, "currentUserRole": { "type": ["string", "null"] }, "createdAt": { "type": "string", "format": "date-time" }, "updatedAt": { "type": "string", "format": "date-time" } } },
      "ProjectCreate": { "type": "object", "additionalProperties": false, "required": ["name"], "properties": { "name": { "type": "string", "pattern": "^[a-z0-9][a-z0-9._-]{0,62}$" }, "public": { "type": "boolean" }, "storageQuotaBytes": { "type": "integer" }, "publishPrivate": { "type": "boolean" } } },
      "ProjectUpdate": { "type": "object", "additionalProperties": false, "properties": { "public": { "type": "boolean" }, "storageQuotaBytes": { "type": "integer" }, "publishPrivate": { "type": "boolean" } } },
      "Member": { "type": "object", "properties": { "username": { "type": "string" }, "role": { "$ref": "#/components/schemas/Role" }, "createdAt": { "type": "string", "format": "date-time" } } },
      "MemberRequest": { "type": "object", "additionalProperties": false, "properties": { "username": { "type": "string" }, "role": { "$ref": "#/components/schemas/Role" } } },
      "Role": { "type": "string", "enum": ["projectAdmin", "maintainer", "developer", "guest", "limitedGuest"] },
      "RobotGrant": { "type": "object", "additionalProperties": false, "properties": { "project": { "type": "string", "description": "a project name, or * for every project (system-level robots)" }, "access": { "type": "array", "items": { "type": "string", "examples": ["repository:pull", "repository:push", "repository:delete", "tag:list"] } } } },
      "Robot": { "type": "object", "properties": { "id": { "type": "integer" }, "name": { "type": "string" }, "description": { "type": ["string", "null"] }, "level": { "type": "string", "enum": ["system", "project"] }, "expiresAt": { "type": ["string", "null"], "format": "date-time" }, "disabled": { "type": "boolean" }, "permissions": { "type": "array", "items": { "$ref": "#/components/schemas/RobotGrant" } }, "createdAt": { "type": "string", "format": "date-time" }, "updatedAt": { "type": "string", "format": "date-time" } } },
      "RobotCreate": { "type": "object", "additionalProperties": false, "required": ["name", "permissions"], "properties": { "name": { "type": "string", "pattern": "^[a-z0-9][a-z0-9._-]{0,63}$" }, "description": { "type": "string" }, "duration": { "type": "integer", "description": "days; -1 never expires; default 30" }, "permissions": { "type": "array", "items": { "$ref": "#/components/schemas/RobotGrant" } } } },
      "RobotUpdate": { "type": "object", "additionalProperties": false, "properties": { "description": { "type": "string" }, "disabled": { "type": "boolean" }, "duration": { "type": "integer" }, "permissions": { "type": "array", "items": { "$ref": "#/components/schemas/RobotGrant" } } } },
      "RobotSecret": { "type": "object", "properties": { "id": { "type": "integer" }, "name": { "type": "string" }, "secret": { "type": "string" }, "expiresAt": { "type": ["string", "null"], "format": "date-time" } } },
      "AuditEntry": { "type": "object", "properties": { "id": { "type": "integer" }, "at": { "type": "string", "format": "date-time" }, "actor": { "type": "string" }, "action": { "type": "string" }, "resource": { "type": "string" }, "project": { "type": ["string", "null"] }, "success": { "type": "boolean" }, "client": { "type": ["string", "null"] }, "detail": { "type": ["string", "null"] } } },
      "Token": { "type": "object", "properties": { "token": { "type": "string" }, "access_token": { "type": "string" }, "expires_in": { "type": "integer" }, "issued_at": { "type": "string", "format": "date-time" }, "refresh_token": { "type": "string" }, "scope": { "type": "string" } } }
    }
  }
}
""";
}
