/**
 * The JWT algorithms the app signs and verifies with (RFC 7518 §3, RFC 8037 EdDSA over Ed25519); `none` is never one.
 * In a module of its own, free of zod: the JWT engine and the CLI's option parsers read it without the schemas.
 */
export const JWT_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA'
] as const
