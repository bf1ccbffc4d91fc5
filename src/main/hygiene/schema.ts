// Token hygiene's stored state: the static findings of each row and their counts, expiry buckets per day for the time
// rules' counts, and the length (never the value) of each keychain secret. Released DDL: never edit, append a step.
export const hygieneSchemaV5 = `
CREATE TABLE token_findings (
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  rule TEXT NOT NULL,
  server TEXT NOT NULL,
  PRIMARY KEY (kind, ref, rule)
) WITHOUT ROWID;
CREATE INDEX token_findings_rule ON token_findings(rule, kind, ref);

CREATE TABLE finding_counts (
  rule TEXT NOT NULL,
  server TEXT NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (rule, server)
) WITHOUT ROWID;

-- Live lifecycle tokens with an expiry, counted per UTC day, server and active (enabled or published).
CREATE TABLE expiry_buckets (
  day INTEGER NOT NULL,
  server TEXT NOT NULL,
  active INTEGER NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, server, active)
) WITHOUT ROWID;

CREATE TABLE secret_lengths (
  ref TEXT PRIMARY KEY,
  bytes INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE hygiene_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- The inventory's order for Fess tokens: their expiry as epoch seconds (NULL: never).
CREATE INDEX access_tokens_expiry ON access_tokens(unixepoch(expires));
`

/** Guided rotations: which steps are done, so a failure midway can be resumed. */
export const hygieneSchemaV6 = `
CREATE TABLE rotations (
  id TEXT PRIMARY KEY,
  target TEXT NOT NULL,
  connection_id TEXT NOT NULL DEFAULT '',
  old_id TEXT NOT NULL,
  status TEXT NOT NULL,
  retire INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  done TEXT NOT NULL,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL
);
CREATE INDEX rotations_by_old ON rotations(target, connection_id, old_id, status);
`
