import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { AppError, fail, isAppError } from '../../shared/errors'
import type { InventoryKind, RenewManyResult, RenewResult, RotateResult } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { JobContext } from '../jobs'
import type { TokensService } from '../tokens'
import type { RemoteService } from '../remote'
import { fromFessTime, toFessTime } from '../remote/rotate'
import { createLocalRotate } from './rotate-local'
import type { Rotations } from './rotation'

/**
 * Renew and rotate from an inventory row (kind + local id): a local record changes here, a pulled copy changes on its
 * server (the remote domain's read-merge-write), and the copy is brought in step after.
 */

interface Origin {
  origin_connection_id: string | null
  remote_id: string | null
}

const unixIso = (s: number) => (s > 0 ? new Date(s * 1000).toISOString() : null)

export function createRenewRotate(
  deps: CoreDeps,
  services: { tokens: TokensService; remote: RemoteService },
  rotations: Rotations
) {
  const { db } = deps
  const life = services.tokens.lifecycle
  const localRotate = createLocalRotate(deps, life, rotations)

  function origin(kind: InventoryKind, id: string): Origin {
    const table =
      kind === 'token' ? 'tokens' : kind === 'access-token' ? 'access_tokens' : kind === 'sso-app' ? 'sso_apps' : null
    if (!table)
      fail(
        'UNSUPPORTED',
        'A signing key has no expiry and nothing to rotate here: generate a new key and switch its tokens to it',
        { kind }
      )
    const row = db
      .prepare<[string], Origin>(`SELECT origin_connection_id, remote_id FROM ${table} WHERE id = ?`)
      .get(id)
    return row ?? fail('NOT_FOUND', `No ${kind} with id ${id} in the inventory`, { kind, id })
  }

  async function renew(kind: InventoryKind, id: string, expiresAt: string | null): Promise<RenewResult> {
    const o = origin(kind, id)
    if (kind === 'sso-app')
      fail('UNSUPPORTED', 'An SSO config has a token lifetime, not an expiry: change its expire instead', { kind })
    if (o.origin_connection_id) return services.remote.renew(o.origin_connection_id, o.remote_id!, expiresAt)
    if (kind === 'token') {
      const before = life.read(id)
      const r = life.set({ id, version: before.version, expire: expiresAt ?? 0 })
      return {
        target: 'local',
        connectionId: null,
        id,
        before: unixIso(before.expire),
        after: unixIso(r.record.expire)
      }
    }
    const at = services.tokens.accessTokens
    const before = await at.get(id)
    const after = await at.update({ id, version: before.version, expires: toFessTime(expiresAt) })
    return {
      target: 'local',
      connectionId: null,
      id,
      before: fromFessTime(before.expires),
      after: fromFessTime(after.expires)
    }
  }

  /** Renews each row in turn; a row that fails is listed with its code and the others go on. */
  async function renewMany(
    items: Array<{ kind: InventoryKind; id: string }>,
    expiresAt: string | null,
    job: JobContext
  ): Promise<RenewManyResult> {
    const out: RenewManyResult = { renewed: 0, failed: [] }
    job.progress(0, items.length)
    for (const [i, it] of items.entries()) {
      if (job.signal.aborted)
        throw new AppError('CANCELLED', `Renew cancelled after ${out.renewed} of ${items.length}`, {
          renewed: out.renewed
        })
      try {
        await renew(it.kind, it.id, expiresAt)
        out.renewed++
      } catch (e) {
        out.failed.push({
          kind: it.kind,
          id: it.id,
          code: isAppError(e) ? e.code : 'INTERNAL',
          message: isAppError(e) ? e.message : 'an unexpected error'
        })
      }
      job.progress(i + 1)
      // Local renews never wait on I/O: yield now and then so progress polls (and everything else) get answered.
      if (i % 10 === 9) await yieldToLoop()
    }
    return out
  }

  async function rotate(
    kind: InventoryKind,
    id: string,
    flags: { retireOld?: boolean; resume?: boolean }
  ): Promise<RotateResult> {
    const o = origin(kind, id)
    if (o.origin_connection_id) {
      if (kind === 'sso-app')
        return services.remote.rotateDataforSecret(o.origin_connection_id, o.remote_id!, Boolean(flags.resume))
      return services.remote.rotate(o.origin_connection_id, o.remote_id!, flags)
    }
    if (kind === 'token') return localRotate(id, flags)
    if (kind === 'access-token')
      fail(
        'UNSUPPORTED',
        'A local access token is rotated by regenerating its value (access-tokens update --regenerate)',
        { kind }
      )
    return fail('UNSUPPORTED', 'A local SSO app is rotated by setting a new secret (sso-apps update)', { kind })
  }

  return { renew, renewMany, rotate }
}
