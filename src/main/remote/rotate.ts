import { fail, isAppError } from '../../shared/errors'
import { CLAIM_FIELDS, isCalendarTime, type RenewResult, type RotateResult } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import {
  createOnce,
  rotationTag,
  type Once,
  type Rotations,
  type RotationSpec,
  type RotationState
} from '../hygiene/rotation'
import type { Profile } from './connections'
import { fessClient, using, xduaClient } from './clients'
import { permissionWarnings, type FessItemWithToken } from './fess'

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
 * The Fess replacement's name: the old stem and the rotation's tag, `<stem> (rotation <tag>)`, at most 1000 characters.
 * Fess cannot filter by anything else a create stores, so this name is how a resume finds a create whose answer was lost.
 */
function fessReplacementName(old: string, tag: string): string {
  const suffix = ` (rotation ${tag})`
  const stem = old.replace(/ \(rotation [0-9a-f]{8}\)$/, '').trim() || 'token'
  return `${stem.slice(0, 1000 - suffix.length).trimEnd()}${suffix}`
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
  /** The replacement's name, journaled before the create: what a resume looks the replacement up by. */
  newName?: string
}
interface XduaState extends RotationState {
  /** The replacement's `jti`, journaled before the ADD: what a resume looks the replacement up by. */
  jti?: string
  old?: {
    name: string | null
    brief: string | null
    avatar: string | null
    expire: number
    claims: Record<string, string>
  }
}

/** The one match of a marker look-up; several are refused (the user removes the extras), none is null. */
function only<T>(found: T[], marker: string): T | null {
  if (found.length > 1)
    fail('CONFLICT', `${found.length} replacements carry ${marker}: delete the extra ones, then resume`, {
      count: found.length
    })
  return found[0] ?? null
}

/** The Fess token named `name` other than the old one; Fess lists by name only up to 10,000 tokens (noted). */
async function findFessByName(p: Profile, oldId: string, name: string, once: Once) {
  const r = await using(await fessClient(p), (c) => c.list({ all: true }))
  const items: FessItemWithToken[] = r.items
  const hit = only(
    items.filter((i) => i.id !== oldId && i.name === name),
    `the name "${name}"`
  )
  if (!hit && r.truncated)
    once.notes.push(
      `Fess listed only part of its tokens: if two tokens are named "${name}" after this, delete the one not in use.`
    )
  return hit
}

type Steps<S extends RotationState> = RotationSpec<S>['steps']

/** Fess: the same permissions, parameter name and expiry policy under a name that marks the rotation. */
function fessSteps(deps: CoreDeps, p: Profile, oldId: string): Steps<FessState> {
  return {
    'read-old': async (st, _once, ctx) => {
      const t = await using(await fessClient(p), (c) => c.get(oldId))
      const created = t.createdTime ?? null
      const exp = sameLifetime(t.expires ? Date.parse(`${t.expires}Z`) : null, created, deps.now())
      st.old = {
        name: t.name,
        permissions: t.permissions,
        parameterName: t.parameterName,
        expires: exp === null ? null : toFessTime(new Date(exp).toISOString())
      }
      st.newName = fessReplacementName(t.name, rotationTag(ctx.rotationId))
    },
    'create-new': async (st, once, ctx) => {
      const name = (st.newName ??= fessReplacementName(st.old!.name, rotationTag(ctx.rotationId)))
      const item = await createOnce(
        ctx,
        once,
        () => findFessByName(p, oldId, name, once),
        async () => (await using(await fessClient(p), (c) => c.create({ ...st.old!, name }))).item
      )
      st.newId = item.id
      // The one time the value is shown: it goes to this call's result, never to the rotation record.
      once.token = item.token
      once.notes.push('Copy the new token now: it is not shown again.', ...permissionWarnings(st.old!.permissions))
    },
    'delete-old': () => gone(async () => using(await fessClient(p), (c) => c.delete(oldId)))
  }
}

/** xdua: ADD a copy of the claim fields, name and publish it, then take the old one offline and delete it. */
function xduaSteps(deps: CoreDeps, p: Profile, oldId: string): Steps<XduaState> {
  const call = async (input: Parameters<Awaited<ReturnType<typeof xduaClient>>['call']>[0]) =>
    using(await xduaClient(p), (c) => c.call(input))
  return {
    'read-old': async (st, _once, ctx) => {
      st.jti = rotationTag(ctx.rotationId)
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
    'create-new': async (st, once, ctx) => {
      // A copy of the claims with a jti of its own: a JWT id names one token, and it is how a resume finds this one.
      const jti = (st.jti ??= rotationTag(ctx.rotationId))
      const claims = { ...Object.fromEntries(CLAIM_FIELDS.map((f) => [f, st.old!.claims[f]])), jti }
      st.newId = await createOnce(
        ctx,
        once,
        async () => {
          const rows = (await call({ verb: 'QRY', where: { jti }, limit: 20 })).list?.items ?? []
          return only(
            rows.filter((r) => r.id !== oldId && r.claims.jti === jti).map((r) => r.id),
            `jti ${jti}`
          )
        },
        async () =>
          (await call({ verb: 'ADD', fields: claims })).id ?? fail('PROTOCOL', 'xdua answered ADD without an id')
      )
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
    const spec = { connectionId: p.id, oldId: id, flags }
    const r =
      p.kind === 'fess'
        ? await rotations.run({ ...spec, target: 'fess', steps: fessSteps(deps, p, id) })
        : await rotations.run({ ...spec, target: 'xdua', steps: xduaSteps(deps, p, id) })
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
