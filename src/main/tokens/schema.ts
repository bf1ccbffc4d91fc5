// The local store's three kinds of record (DESIGN "Data"). Every *_ref names a keychain item; no secret is stored here.
// origin_connection_id / remote_id / pulled_at mark a read-only copy pulled from a server: the remote domain
// writes those rows directly, so these column names are stable.
//
// `rid` is the tokens table's own INTEGER PRIMARY KEY: the FTS5 index and the keyset cursors need a rowid that VACUUM
// can never renumber (SQLite may renumber the implicit rowid of a table without one). The public id stays `id`.
/** The version-1 tokens columns after rid and id, as v1 created them and v2 rebuilt them (frozen with both). */
const V1_COLUMNS_AFTER_ID = `  name TEXT NOT NULL,
  brief TEXT NOT NULL DEFAULT '',
  avatar TEXT NOT NULL DEFAULT '',
  typ TEXT NOT NULL, aud TEXT NOT NULL, sap TEXT NOT NULL, jti TEXT NOT NULL, ipm TEXT NOT NULL, dvm TEXT NOT NULL,
  tag TEXT NOT NULL, api TEXT NOT NULL, bug TEXT NOT NULL, shop TEXT NOT NULL, role TEXT NOT NULL, rule TEXT NOT NULL,
  state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1)),
  stato TEXT NOT NULL DEFAULT 'enabled',
  published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
  deleted_at INTEGER,
  bin INTEGER GENERATED ALWAYS AS (deleted_at IS NOT NULL) VIRTUAL,
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
);`
/** The closing columns of both app tables (access tokens, SSO apps): stamps, optimistic lock, pulled-copy marks. */
const APP_ROW_TAIL = `  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  origin_connection_id TEXT,
  remote_id TEXT,
  pulled_at INTEGER
);`
const tokensTables = `
CREATE TABLE tokens (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
${V1_COLUMNS_AFTER_ID}
CREATE UNIQUE INDEX tokens_name ON tokens(name) WHERE origin_connection_id IS NULL;

-- Sidebar counts kept by triggers, so the counts never scan the tokens table.
CREATE TABLE token_counts (
  state INTEGER NOT NULL,
  published INTEGER NOT NULL,
  bin INTEGER NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (state, published, bin)
) WITHOUT ROWID;
INSERT INTO token_counts (state, published, bin, n) VALUES
  (0,0,0,0),(0,1,0,0),(1,0,0,0),(1,1,0,0),(0,0,1,0),(0,1,1,0),(1,0,1,0),(1,1,1,0);

-- Substring search on name/brief: FTS5 trigram over the tokens table's own columns. detail=none
-- halves the build time and the size; the query ANDs the trigrams and LIKE confirms the candidates.
CREATE VIRTUAL TABLE tokens_fts USING fts5(name, brief, content='tokens', content_rowid='rid', tokenize='trigram',
  detail=none, columnsize=0);

-- Derived state the bulk loader may drop and rebuild (see tokensDerived below); remembers if a rebuild is due.
CREATE TABLE tokens_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE access_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_ref TEXT,
  parameter_name TEXT,
  permissions TEXT NOT NULL DEFAULT '',
  expires TEXT,
${APP_ROW_TAIL}
CREATE INDEX access_tokens_name ON access_tokens(name, id);

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
  sign_key TEXT,
${APP_ROW_TAIL}
CREATE UNIQUE INDEX sso_apps_name ON sso_apps(name) WHERE origin_connection_id IS NULL;
`

/**
 * Version 2 of the tokens table: identical columns, but `id` is unique through a named index instead of an inline
 * constraint, so a bulk load can drop both unique indexes (random keys make row-by-row upkeep the bulk of an insert),
 * check uniqueness in memory and build them once at the end. `rid` values are copied, so the FTS index stays valid.
 */
/** The stored columns of the v1 table, copied as they are (`bin` is generated, so it is not copied). */
const V1_STORED_COLUMNS = `rid, id, name, brief, avatar, typ, aud, sap, jti, ipm, dvm, tag, api, bug, shop, role, rule, state, stato,
  published, deleted_at, expire, alg, key_ref, creator, updater, cstamp, istamp, version, origin_connection_id, remote_id, pulled_at`
const tokensV2 = `
CREATE TABLE tokens_v2 (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
${V1_COLUMNS_AFTER_ID}
INSERT INTO tokens_v2 (${V1_STORED_COLUMNS}) SELECT ${V1_STORED_COLUMNS} FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_v2 RENAME TO tokens;
`

/** The claim columns of v1/v2 in CLAIM_FIELDS order, packed by migration 3 into one JSON array. */
const V2_CLAIM_COLUMNS = 'typ, aud, sap, jti, ipm, dvm, tag, api, bug, shop, role, rule'

/**
 * Version 3 of the tokens table: the twelve claim fields (typ … rule) are one `claims` column, a JSON array in
 * CLAIM_FIELDS order, since they are set once at ADD, read whole and never filtered or sorted on; fewer columns make a
 * cheaper row to bind and store. The columns the page indexes and filters read come first in the record (SQLite walks
 * a record's header up to the column it wants), the text the list shows next, the claims last.
 */
const tokensV3 = `
CREATE TABLE tokens_v3 (
  rid INTEGER PRIMARY KEY,
  deleted_at INTEGER,
  bin INTEGER GENERATED ALWAYS AS (deleted_at IS NOT NULL) VIRTUAL,
  state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1)),
  published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
  expire INTEGER NOT NULL DEFAULT 0,
  istamp INTEGER NOT NULL,
  cstamp INTEGER NOT NULL,
  creator TEXT NOT NULL,
  name TEXT NOT NULL,
  id TEXT NOT NULL,
  origin_connection_id TEXT,
  brief TEXT NOT NULL DEFAULT '',
  avatar TEXT NOT NULL DEFAULT '',
  stato TEXT NOT NULL DEFAULT 'enabled',
  alg TEXT,
  key_ref TEXT,
  updater TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  remote_id TEXT,
  pulled_at INTEGER,
  claims TEXT NOT NULL
);
INSERT INTO tokens_v3 (rid, deleted_at, state, published, expire, istamp, cstamp, creator, name, id, origin_connection_id, brief,
  avatar, stato, alg, key_ref, updater, version, remote_id, pulled_at, claims)
SELECT rid, deleted_at, state, published, expire, istamp, cstamp, creator, name, id, origin_connection_id, brief,
  avatar, stato, alg, key_ref, updater, version, remote_id, pulled_at, json_array(${V2_CLAIM_COLUMNS}) FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_v3 RENAME TO tokens;
`

/** The unique indexes (dropped by a bulk load, which checks uniqueness in memory meanwhile). */
export const tokensUniqueIndexes = `
CREATE UNIQUE INDEX IF NOT EXISTS tokens_id ON tokens(id);
CREATE UNIQUE INDEX IF NOT EXISTS tokens_name ON tokens(name) WHERE origin_connection_id IS NULL;
`
export const TOKENS_UNIQUE_INDEX_NAMES = ['tokens_id', 'tokens_name']

/**
 * The page indexes of versions 2 and 3, led by `bin` (frozen: migrations 2 and 3 create them; migration 4 replaces them).
 */
const tokensIndexesV3 = `
CREATE INDEX IF NOT EXISTS tokens_by_updated ON tokens(bin, istamp, rid, state, published, creator, expire);
CREATE INDEX IF NOT EXISTS tokens_by_created ON tokens(bin, cstamp, rid, state, published, creator, expire);
CREATE INDEX IF NOT EXISTS tokens_by_name ON tokens(bin, name, rid, state, published, creator, expire);
CREATE INDEX IF NOT EXISTS tokens_by_expire ON tokens(bin, expire, rid, state, published, creator);
`

/** Added to a binned token's integer sort key (2^62): every binned key sorts after every live one. */
export const BIN_KEY_OFFSET = '4611686018427387904'
/** Live integer keys are below this (2^61) and binned ones at or above it: the sort values are safe integers (< 2^53). */
export const BIN_KEY_SPLIT = '2305843009213693952'

/**
 * Version 4: one sort key per page order, the recycle bin folded into it (VIRTUAL generated columns: computed when
 * read, stored only in the indexes). Versions 2-3 led each page index with `bin`, so the separate views of the bin and
 * the live list were ranges of one index; but `bin` is 0 for nearly every row, and SQLite's index sorter decides on the
 * first column alone only when it differs, so nearly every comparison of an index build unpacked the whole entry. With
 * the bin folded into the first column, that column decides, and the bin's lists, filtered or not, stay ranges too.
 * Integer keys add BIN_KEY_OFFSET for binned rows; the name key is the name behind '0' (live) or '1' (binned), which
 * keeps name order within each view (BINARY collation compares bytes).
 */
const tokensV4 = `
DROP INDEX IF EXISTS tokens_by_updated;
DROP INDEX IF EXISTS tokens_by_created;
DROP INDEX IF EXISTS tokens_by_name;
DROP INDEX IF EXISTS tokens_by_expire;
ALTER TABLE tokens ADD COLUMN k_updated INTEGER AS (iif(deleted_at IS NULL, istamp, istamp + ${BIN_KEY_OFFSET})) VIRTUAL;
ALTER TABLE tokens ADD COLUMN k_created INTEGER AS (iif(deleted_at IS NULL, cstamp, cstamp + ${BIN_KEY_OFFSET})) VIRTUAL;
ALTER TABLE tokens ADD COLUMN k_name TEXT AS (iif(deleted_at IS NULL, '0', '1') || name) VIRTUAL;
ALTER TABLE tokens ADD COLUMN k_expire INTEGER AS (iif(deleted_at IS NULL, expire, expire + ${BIN_KEY_OFFSET})) VIRTUAL;
`

/**
 * Page indexes: one per sort order, on the order's key (see tokensV4). Each carries the filter columns after the key,
 * so a filtered page is tested on index entries alone and only matching rows are read from the table (SQLite defers
 * the table seek until a column outside the index is needed): one index per sort serves every filter combination,
 * where an index per (filter, sort) pair would multiply the indexes a bulk load builds. `rid`, the keyset tie-break,
 * follows the key explicitly so (key, rid) stays index order with the filter columns behind it (ties are common: many
 * tokens never expire). The sidebar's state lists (QRI) walk tokens_by_updated and test `state` on its entries: a
 * separate state index would cost every bulk load an index build and speed up no page.
 */
export const tokensIndexes = `
CREATE INDEX IF NOT EXISTS tokens_by_updated ON tokens(k_updated, rid, state, published, creator, expire);
CREATE INDEX IF NOT EXISTS tokens_by_created ON tokens(k_created, rid, state, published, creator, expire);
CREATE INDEX IF NOT EXISTS tokens_by_name ON tokens(k_name, rid, state, published, creator, expire);
CREATE INDEX IF NOT EXISTS tokens_by_expire ON tokens(k_expire, rid, state, published, creator, expire);
`
export const TOKENS_INDEX_NAMES = ['tokens_by_updated', 'tokens_by_created', 'tokens_by_name', 'tokens_by_expire']

/**
 * The index options of tokens_fts as tokensTables creates it (that DDL is frozen, so they are repeated here): the
 * parallel bulk build (fts-worker.ts) makes a contentless index with exactly these options, whose segments are then
 * copied into tokens_fts. A test holds this against the live table's DDL.
 */
export const TOKENS_FTS_OPTIONS = "tokenize='trigram', detail=none, columnsize=0"
/** The FTS5 shadow tables that hold the index itself (columnsize=0: no docsize; external content: no content). */
export const TOKENS_FTS_SHADOW = { data: 'tokens_fts_data', idx: 'tokens_fts_idx' } as const

/** Triggers that keep token_counts and tokens_fts in step with tokens, row by row. */
export const tokensTriggers = `
CREATE TRIGGER IF NOT EXISTS tokens_ai AFTER INSERT ON tokens BEGIN
  UPDATE token_counts SET n = n + 1 WHERE state = new.state AND published = new.published AND bin = new.bin;
  INSERT INTO tokens_fts (rowid, name, brief) VALUES (new.rid, new.name, new.brief);
END;
CREATE TRIGGER IF NOT EXISTS tokens_ad AFTER DELETE ON tokens BEGIN
  UPDATE token_counts SET n = n - 1 WHERE state = old.state AND published = old.published AND bin = old.bin;
  INSERT INTO tokens_fts (tokens_fts, rowid, name, brief) VALUES ('delete', old.rid, old.name, old.brief);
END;
CREATE TRIGGER IF NOT EXISTS tokens_au_counts AFTER UPDATE OF state, published, deleted_at ON tokens
WHEN old.state IS NOT new.state OR old.published IS NOT new.published OR old.bin IS NOT new.bin BEGIN
  UPDATE token_counts SET n = n - 1 WHERE state = old.state AND published = old.published AND bin = old.bin;
  UPDATE token_counts SET n = n + 1 WHERE state = new.state AND published = new.published AND bin = new.bin;
END;
CREATE TRIGGER IF NOT EXISTS tokens_au_fts AFTER UPDATE OF name, brief ON tokens
WHEN old.name IS NOT new.name OR old.brief IS NOT new.brief BEGIN
  INSERT INTO tokens_fts (tokens_fts, rowid, name, brief) VALUES ('delete', old.rid, old.name, old.brief);
  INSERT INTO tokens_fts (rowid, name, brief) VALUES (new.rid, new.name, new.brief);
END;
`
export const TOKENS_TRIGGER_NAMES = ['tokens_ai', 'tokens_ad', 'tokens_au_counts', 'tokens_au_fts']

/**
 * Version 1 of this domain as released (never edited: migration 2 rebuilds the table from it). The v1 page indexes
 * are spelled out here because later versions hold other sets; migration 2 drops them with the table.
 */
const tokensIndexesV1 = `
CREATE INDEX IF NOT EXISTS tokens_by_updated ON tokens(bin, istamp);
CREATE INDEX IF NOT EXISTS tokens_by_state_updated ON tokens(bin, state, istamp);
CREATE INDEX IF NOT EXISTS tokens_by_published_updated ON tokens(bin, published, istamp);
CREATE INDEX IF NOT EXISTS tokens_by_created ON tokens(bin, cstamp);
CREATE INDEX IF NOT EXISTS tokens_by_name ON tokens(bin, name);
CREATE INDEX IF NOT EXISTS tokens_by_expire ON tokens(bin, expire);
CREATE INDEX IF NOT EXISTS tokens_by_creator ON tokens(creator, bin, istamp);
`
export const tokensSchema = [tokensTables, tokensIndexesV1, tokensTriggers].join('\n')

/** Version 2: the table rebuilt (see tokensV2), its unique indexes, page indexes and triggers (re-ensured at open). */
export const tokensSchemaV2 = [tokensV2, tokensUniqueIndexes, tokensIndexesV3, tokensTriggers].join('\n')

/** Version 3: the table rebuilt with the claims packed (see tokensV3), then its indexes and triggers again. */
export const tokensSchemaV3 = [tokensV3, tokensUniqueIndexes, tokensIndexesV3, tokensTriggers].join('\n')

/** Version 4: the sort keys with the bin folded in (see tokensV4) and the page indexes on them. */
export const tokensSchemaV4 = [tokensV4, tokensIndexes].join('\n')
