import { createRequire } from 'node:module'
import { AppError } from '../../shared/errors'

/** Where every secret lives (HMAC secrets, private keys, server credentials, token values). Accounts: secrets/rotate.ts. */
export interface SecretStore {
  readonly backend: string
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  delete(account: string): Promise<boolean>
  list(): Promise<string[]>
  /** Resolves when the store can be used; throws KEYCHAIN_UNAVAILABLE otherwise. */
  check(): Promise<void>
}

const SECRET_SERVICE = 'TokenDesk'

const KEYCHAIN_HELP =
  'The OS keychain is not reachable, so TokenDesk cannot store or read secrets (it never falls back to a plaintext ' +
  'file). On Linux, install and unlock a Secret Service provider (gnome-keyring or KWallet) in your desktop session ' +
  '(e.g. `sudo apt-get install gnome-keyring libsecret-1-0`), or run on macOS (Keychain) or Windows (Credential Manager).'

export function keychainUnavailable(): AppError {
  return new AppError('KEYCHAIN_UNAVAILABLE', KEYCHAIN_HELP)
}

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>
}

/** The production store: keytar over the OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager). */
export class KeytarSecretStore implements SecretStore {
  readonly backend = 'keytar'
  private keytar: Keytar | null = null
  constructor(private readonly service = SECRET_SERVICE) {}

  private load(): Keytar {
    if (this.keytar) return this.keytar
    try {
      // Loaded lazily: a missing libsecret must turn into KEYCHAIN_UNAVAILABLE, not a crash at start.
      this.keytar = createRequire(__filename)('keytar') as Keytar
      return this.keytar
    } catch {
      throw keychainUnavailable()
    }
  }

  // Every keytar failure (no D-Bus, no Secret Service, locked collection) maps to one coded error. The original text is
  // dropped on purpose: it never contains the secret, but it is not actionable for the user either. With `attempts`,
  // an item another process deleted mid-call ("No such secret item") is a race, not an unreachable keychain: try again.
  private async call<T>(fn: (k: Keytar) => Promise<T>, attempts = 1): Promise<T> {
    const k = this.load()
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(k)
      } catch (e) {
        if (attempt >= attempts || !/no such secret item/i.test(String((e as Error)?.message)))
          throw keychainUnavailable()
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20))
      }
    }
  }

  get(account: string) {
    return this.call((k) => k.getPassword(this.service, account))
  }
  set(account: string, secret: string) {
    return this.call((k) => k.setPassword(this.service, account, secret))
  }
  delete(account: string) {
    return this.call((k) => k.deletePassword(this.service, account))
  }
  /** The listing reads every secret of the service, so a deletion by another process can fail it whole: retried. */
  async list() {
    const creds = await this.call((k) => k.findCredentials(this.service), 20)
    return creds.map((c) => c.account)
  }
  private checkedAt = 0
  /**
   * A read alone is not proof: D-Bus may start a locked daemon on demand that answers reads but refuses writes. So the
   * probe writes, reads back and deletes one item, at most every 30 s.
   */
  async check() {
    if (Date.now() - this.checkedAt < 30_000) return
    const probe = `probe/${process.pid}`
    await this.call(async (k) => {
      await k.setPassword(this.service, probe, 'ok')
      const back = await k.getPassword(this.service, probe)
      await k.deletePassword(this.service, probe)
      if (back !== 'ok') throw new Error('probe mismatch')
    })
    this.checkedAt = Date.now()
  }
}

/** For unit tests of other modules. Never used by the app: it would lose secrets on exit. */
export class MemorySecretStore implements SecretStore {
  readonly backend = 'memory'
  readonly items = new Map<string, string>()
  /** Simulates an unreachable keychain. */
  unavailable = false
  private guard() {
    if (this.unavailable) throw keychainUnavailable()
  }
  async get(account: string) {
    this.guard()
    return this.items.get(account) ?? null
  }
  async set(account: string, secret: string) {
    this.guard()
    this.items.set(account, secret)
  }
  async delete(account: string) {
    this.guard()
    return this.items.delete(account)
  }
  async list() {
    this.guard()
    return [...this.items.keys()]
  }
  async check() {
    this.guard()
  }
}

/** Keychain account names: `<kind>/<id>` (DESIGN "Secrets"). */
export const secretRef = (kind: string, id: string) => `${kind}/${id}`
