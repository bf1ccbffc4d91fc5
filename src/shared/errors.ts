// The closed list of error codes every entry point (IPC, web RPC, CLI) speaks. The UI and the CLI act on `code`;
// `message` is for people and never carries a secret or a stack trace.
export const ERROR_CODES = [
  // input and store
  'VALIDATION', // input failed its schema or a domain rule; details.path names the field
  'NOT_FOUND',
  'CONFLICT', // stale version (optimistic locking) or a unique name taken
  'INVALID_STATE', // a lifecycle verb not allowed from the record's current state; details.state says which
  'READ_ONLY', // a pulled copy of a server record cannot be edited locally
  'KEYCHAIN_UNAVAILABLE', // no OS keychain / Secret Service reachable; never a plaintext fallback
  'SECRET_MISSING', // the record exists but its keychain item does not (e.g. after an import)
  'CANCELLED',
  'BUSY', // the store is in a bulk load (import or seed) that must end first; retry later
  'UNSUPPORTED',
  'IO', // a file could not be read or written
  'INTERNAL',
  // remote servers (DESIGN "Remote clients")
  'AUTH',
  'FORBIDDEN',
  'SERVER',
  'NETWORK',
  'TIMEOUT',
  'TLS',
  'PROTOCOL',
  'INSECURE_URL', // plain http to a non-loopback host without the user's confirmation
  // JWT engine: distinct codes per refusal so tests, CLI scripts and the UI can tell them apart
  'JWT_MALFORMED',
  'JWT_ALG_NONE',
  'JWT_ALG_NOT_ALLOWED',
  'JWT_KEY_TYPE', // key does not fit the alg (e.g. HS256 with an RSA public key)
  'JWT_WEAK_KEY', // RFC 7518 §3.2: HMAC key shorter than the hash output
  'JWT_SIGNATURE',
  'JWT_EXPIRED',
  'JWT_NOT_YET_VALID',
  'JWT_AUDIENCE',
  'JWT_ISSUER',
  'JWT_CRIT',
  'JWT_CLAIM' // another claim check failed
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface AppErrorShape {
  code: ErrorCode
  message: string
  details?: Record<string, unknown>
}

/** Thrown inside services; dispatch turns it into an AppErrorShape value. */
export class AppError extends Error implements AppErrorShape {
  readonly code: ErrorCode
  readonly details?: Record<string, unknown>
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.details = details
  }
  toJSON(): AppErrorShape {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message }
  }
}

export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): never {
  throw new AppError(code, message, details)
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}

/** What every dispatch returns: a value or a coded error, never a throw across the process boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape }
