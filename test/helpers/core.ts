import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore, type Core, type CoreOptions } from '../../src/main/core'
import { MemorySecretStore, KeytarSecretStore, type SecretStore } from '../../src/main/secrets'
import type { Channel, Input, Output } from '../../src/shared/contract'
import type { AppErrorShape } from '../../src/shared/errors'

export function tempDir(prefix = 'tokendesk-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export interface TestCore extends Core {
  dataDir: string
  secrets: SecretStore
  /** dispatch that throws on a coded error (for the happy path). */
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>
  /** dispatch that expects a coded error and returns it. */
  callError<C extends Channel>(channel: C, input: unknown): Promise<AppErrorShape>
  cleanup(): void
}

/**
 * A core over a fresh data folder. Secrets default to an in-memory store; pass `keychain: true` for the real keytar
 * store (tests run inside scripts/with-keyring.sh, a private Secret Service).
 */
export function makeCore(opts: Partial<CoreOptions> & { keychain?: boolean } = {}): TestCore {
  const dataDir = opts.dataDir ?? tempDir()
  const secrets = opts.secrets ?? (opts.keychain ? new KeytarSecretStore() : new MemorySecretStore())
  const core = createCore({ ...opts, dataDir, secrets })
  return Object.assign(core, {
    dataDir,
    secrets,
    async call<C extends Channel>(channel: C, input: Input<C>) {
      const r = await core.dispatch(channel, input)
      if (!r.ok) throw new Error(`${channel} failed: ${r.error.code}: ${r.error.message}`)
      return r.value as Output<C>
    },
    async callError(channel: Channel, input: unknown) {
      const r = await core.dispatch(channel, input)
      if (r.ok) throw new Error(`${channel} was expected to fail but succeeded`)
      return r.error
    },
    cleanup() {
      core.close()
      // A bulk load's checkpoint worker may still be finishing its files in the folder: retry (up to 5 s) while it does.
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 100, retryDelay: 50 })
    }
  })
}
