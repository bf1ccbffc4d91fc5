// Server connection profiles. Credentials live in the keychain under credential_ref.
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
`
