// JWT signing keys. The private part or HMAC secret lives in the keychain under `private_ref`; never here.
export const keysSchema = `
CREATE TABLE keys (
  kid TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  alg TEXT NOT NULL,
  kty TEXT NOT NULL,
  public_jwk TEXT,
  private_ref TEXT,
  created TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
`
