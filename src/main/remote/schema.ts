// Server connection profiles. Credentials live in the keychain under credential_ref (`conn/<id>`), never here.
// Loaded after the tokens schema (src/main/db/migrations.ts), so it may index the local tables' pull columns.
export const remoteSchema = `
CREATE TABLE connections (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('fess', 'datafor', 'xdua')),
  base_url TEXT NOT NULL,
  auth_method TEXT NOT NULL,
  username TEXT,
  credential_ref TEXT,
  routes TEXT,
  timeout_ms INTEGER NOT NULL DEFAULT 15000,
  tls TEXT,
  allow_insecure INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

-- A pulled copy is upserted by (connection, server id): one local row per server record.
CREATE UNIQUE INDEX tokens_origin ON tokens(origin_connection_id, remote_id) WHERE origin_connection_id IS NOT NULL;
CREATE UNIQUE INDEX access_tokens_origin ON access_tokens(origin_connection_id, remote_id) WHERE origin_connection_id IS NOT NULL;
CREATE UNIQUE INDEX sso_apps_origin ON sso_apps(origin_connection_id, remote_id) WHERE origin_connection_id IS NOT NULL;

-- What a push created: a local record (origin NULL) and the server record it became, so the next push updates it.
CREATE TABLE remote_links (
  connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL,
  remote_id TEXT NOT NULL,
  pushed_at INTEGER NOT NULL,
  PRIMARY KEY (connection_id, local_id)
);
`

/** The keychain account of each secret TokenDesk set on a Datafor server, with the claim of a write in flight. */
export const remoteSchemaV6 = `
CREATE TABLE datafor_secrets (
  connection_id TEXT NOT NULL,
  name TEXT NOT NULL,
  secret_ref TEXT,
  pending_ref TEXT,
  pending_at INTEGER,
  version INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (connection_id, name)
) WITHOUT ROWID;

-- Pulled copies in the tokens table, found by their server id on every pull (a partial index: local rows stay out).
CREATE INDEX tokens_origin ON tokens(origin_connection_id, remote_id) WHERE origin_connection_id IS NOT NULL;
`
