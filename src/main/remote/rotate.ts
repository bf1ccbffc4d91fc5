import { fail, isAppError } from '../../shared/errors'
import { CLAIM_FIELDS, isCalendarTime, type RenewResult, type RotateResult } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { Rotations, RotationState } from '../hygiene/rotation'
import type { Profile } from './connections'
import { fessClient, using, xduaClient } from './clients'

/**
 * Renew and rotate on Fess and xdua servers, through the clients' read-merge-write. Rotation steps are idempotent on
 * resume: a step whose change already happened (the answer was lost) finds it done rather than doing it twice.
 */

/** Fess keeps `yyyy-MM-ddTHH:mm:ss` without a zone; TokenDesk reads and writes it as UTC (as the inventory does). */
export const toFessTime = (iso: string | null): string | null =>
  iso === null ? null : new Date(iso).toISOString().slice(0, 19)
/** A Fess time as an ISO instant; null for "never" and for a stored value that is no real time. */
export const fromFessTime = (v: string | null): string | null =>
  v && isCalendarTime(v) ? new Date(`${v}Z`).toISOString() : null
const xduaIso = (s: number | null) => (s ? new Date(s * 1000).toISOString() : null)

/**
 * The replacement's expiry under the same policy: as long a lifetime from now as the old one had from its creation,
 * the same instant when the creation time is unknown, never when the old never expires.
 */
export function sameLifetime(expiresMs: number | null, createdMs: number | null, nowMs: number): number | null {
  if (expiresMs === null) return null
  if (createdMs === null || expiresMs <= createdMs) return expiresMs
  return nowMs + (expiresMs - createdMs)
}

/** A name for the replacement that keeps the old one's stem: `<stem>_r<new id>`, 4-32 characters. */
export function replacementName(old: string, newId: string): string {
  const stem = old.replace(/_r[A-Za-z0-9]{8}$/, '').slice(0, 32 - 2 - newId.length)
  return `${/^[A-Za-z\p{Script=Han}]/u.test(stem) ? stem : `t${stem}`.slice(0, 32 - 2 - newId.length)}_r${newId}`
}

/**
 * A retire step whose change a lost answer already made counts as done: the old token is gone (NOT_FOUND), or the
 * server refuses the transition because the token is already offline or deleted (INVALID_STATE).
 */
async function gone(run: () => Promise<unknown>, alsoDone: ReadonlyArray<string> = []): Promise<void> {
  try {
    await run()
  } catch (e) {
    if (!(isAppError(e) && (e.code === 'NOT_FOUND' || alsoDone.includes(e.code)))) throw e
  }
}

interface FessState extends RotationState {
  old?: { name: string; permissions: string[]; parameterName: string | null; expires: string | null }
}
interface XduaState extends RotationState {
  old?: {
    name: string | null
    brief: string | null
    avatar: string | null
    expire: number
    claims: Record<string, string>
  }
}

type RotateFlags = { retireOld?: boolean; resume?: boolean }

function fessRotate(
  deps: CoreDeps,
  rotations: Rotations,
  p: Profile,
  oldId: string,
  flags: RotateFlags
): Promise<RotateResult> {
  return rotations.run<FessState>({
    target: 'fess',
    connectionId: p.id,
    oldId,
    flags,
    steps: {
      'read-old': async (st) => {
        const t = await using(await fessClient(p), (c) => c.get(oldId))
        const created = t.createdTime ?? null
        const exp = sameLifetime(t.expires ? Date.parse(`${t.expires}Z`) : null, created, deps.now())
        st.old = {
          name: t.name,
          permissions: t.permissions,
          parameterName: t.parameterName,
          expires: exp === null ? null : toFessTime(new Date(exp).toISOString())
        }
      },
      'create-new': async (st, once) => {
        const { item, warnings } = await using(await fessClient(p), (c) => c.create(st.old!))
        st.newId = item.id
        // The one time the value is shown: it goes to this call's result, never to the rotation record.
        once.token = item.token
        once.notes.push('Copy the new token now: it is not shown again.', ...warnings)
      },
      'delete-old': () => gone(async () => using(await fessClient(p), (c) => c.delete(oldId)))
    }
  })
}

function xduaRotate(
  deps: CoreDeps,
  rotations: Rotations,
  p: Profile,
  oldId: string,
  flags: RotateFlags
): Promise<RotateResult> {
  const call = async (input: Parameters<Awaited<ReturnType<typeof xduaClient>>['call']>[0]) =>
    using(await xduaClient(p), (c) => c.call(input))
  return rotations.run<XduaState>({
    target: 'xdua',
    connectionId: p.id,
    oldId,
    flags,
    steps: {
      'read-old': async (st) => {
        const r = (await call({ verb: 'GET', id: oldId })).record
        if (!r) fail('PROTOCOL', `xdua answered GET ${oldId} without a record`)
        const missing = CLAIM_FIELDS.filter((f) => !r.claims[f])
        if (missing.length)
          fail(
            'UNSUPPORTED',
            `xdua did not show the claim fields ${missing.join(', ')} of ${oldId}: a copy cannot be made`,
            { missing }
          )
        const created = r.cstamp ? Date.parse(`${r.cstamp.replace(' ', 'T')}Z`) : NaN
        const exp = sameLifetime(r.expire ? r.expire * 1000 : null, Number.isNaN(created) ? null : created, deps.now())
        st.old = {
          name: r.name,
          brief: r.brief,
          avatar: r.avatar,
          expire: exp === null ? 0 : Math.floor(exp / 1000),
          claims: r.claims
        }
      },
      'create-new': async (st) => {
        const claims = Object.fromEntries(CLAIM_FIELDS.map((f) => [f, st.old!.claims[f]]))
        st.newId =
          (await call({ verb: 'ADD', fields: claims })).id ?? fail('PROTOCOL', 'xdua answered ADD without an id')
      },
      'copy-fields': async (st) => {
        const o = st.old!
        const fields: Record<string, string | number> = {
          name: replacementName(o.name ?? oldId, st.newId!),
          expire: o.expire
        }
        if (o.brief) fields.brief = o.brief
        if (o.avatar) fields.avatar = o.avatar
        await call({ verb: 'SET', id: st.newId!, fields })
      },
      'publish-new': async (st) => void (await call({ verb: 'PUB', id: st.newId! })),
      'offline-old': () => gone(() => call({ verb: 'OFF', id: oldId }), ['INVALID_STATE']),
      'delete-old': () => gone(() => call({ verb: 'DOL', id: oldId }), ['INVALID_STATE'])
    }
  })
}

export function createRemoteRotate(
  deps: CoreDeps,
  rotations: Rotations,
  onChanged: (p: Profile, kind: 'fess' | 'xdua', remoteId: string) => Promise<void>
) {
  async function rotate(
    p: Profile,
    id: string,
    flags: { retireOld?: boolean; resume?: boolean }
  ): Promise<RotateResult> {
    if (p.kind === 'datafor')
      fail('UNSUPPORTED', 'A Datafor config has a secret, not tokens: rotate its secret instead', { kind: p.kind })
    const r =
      p.kind === 'fess'
        ? await fessRotate(deps, rotations, p, id, flags)
        : await xduaRotate(deps, rotations, p, id, flags)
    // Keeps the pulled copies in step (the inventory shows the replacement, and the old one retired), best effort.
    for (const rid of [id, r.newId]) if (rid) await onChanged(p, p.kind, rid).catch(() => undefined)
    return r
  }

  async function renew(p: Profile, id: string, expiresAt: string | null): Promise<RenewResult> {
    let out: RenewResult
    if (p.kind === 'fess') {
      out = await using(await fessClient(p), async (c) => {
        const before = await c.get(id)
        const r = await c.update(id, { expires: toFessTime(expiresAt) }, before.updatedTime ?? undefined)
        return {
          target: 'fess' as const,
          connectionId: p.id,
          id,
          before: fromFessTime(before.expires),
          after: fromFessTime(r.item.expires)
        }
      })
    } else if (p.kind === 'xdua') {
      out = await using(await xduaClient(p), async (c) => {
        const before = (await c.call({ verb: 'GET', id })).record
        const expire = expiresAt === null ? 0 : Math.floor(Date.parse(expiresAt) / 1000)
        await c.call({ verb: 'SET', id, fields: { expire } })
        const after = (await c.call({ verb: 'GET', id })).record
        return {
          target: 'xdua' as const,
          connectionId: p.id,
          id,
          before: xduaIso(before?.expire ?? null),
          after: xduaIso(after?.expire ?? null)
        }
      })
    } else
      fail(
        'UNSUPPORTED',
        'A Datafor config has a token lifetime, not an expiry: change it with remote datafor put --expire',
        { kind: p.kind }
      )
    await onChanged(p, p.kind, id).catch(() => undefined)
    return out
  }

  return { rotate, renew }
}
