// The local store's three kinds of record (DESIGN "Data"). Every *_ref names a keychain item; no secret is stored here.
// origin_connection_id / remote_id / pulled_at mark a read-only copy pulled from a server (issue 5).
export const tokensSchema = `
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  brief TEXT NOT NULL DEFAULT '',
  avatar TEXT NOT NULL DEFAULT '',
  typ TEXT NOT NULL, aud TEXT NOT NULL, sap TEXT NOT NULL, jti TEXT NOT NULL, ipm TEXT NOT NULL, dvm TEXT NOT NULL,
  tag TEXT NOT NULL, api TEXT NOT NULL, bug TEXT NOT NULL, shop TEXT NOT NULL, role TEXT NOT NULL, rule TEXT NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  stato TEXT NOT NULL DEFAULT 'enabled',
  published INTEGER NOT NULL DEFAULT 0,
  deleted_at INTEGER,
  expire INTEGER NOT NULL DEFAULT 0,
  alg TEXT,
  key_ref TEXT,
  creator TEXT NOT NULL,
  updater TEXT NOT NULL,
  cstamp INTEGER NOT NULL,
  istamp INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  origin_connection_id TEXT,
  remote_id TEXT,
  pulled_at INTEGER
);
CREATE UNIQUE INDEX tokens_name ON tokens(name) WHERE origin_connection_id IS NULL;

CREATE TABLE access_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_ref TEXT,
  parameter_name TEXT,
  permissions TEXT NOT NULL DEFAULT '',
  expires TEXT,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  origin_connection_id TEXT,
  remote_id TEXT,
  pulled_at INTEGER
);

CREATE TABLE sso_apps (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_name TEXT NOT NULL DEFAULT 'token',
  secret_ref TEXT,
  expire INTEGER NOT NULL DEFAULT 86400,
  fieldmap TEXT NOT NULL,
  algorithm TEXT NOT NULL DEFAULT 'HS256',
  enable INTEGER NOT NULL DEFAULT 0,
  inituser INTEGER NOT NULL DEFAULT 1,
  initroles TEXT NOT NULL DEFAULT '["SYS_Reader"]',
  initpwd_ref TEXT,
  self_service INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  origin_connection_id TEXT,
  remote_id TEXT,
  pulled_at INTEGER
);
CREATE UNIQUE INDEX sso_apps_name ON sso_apps(name) WHERE origin_connection_id IS NULL;
`
