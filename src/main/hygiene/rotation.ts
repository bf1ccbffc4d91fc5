import { randomUUID } from 'node:crypto'
import { AppError, fail, isAppError, type ErrorCode } from '../../shared/errors'
import { ROTATE_PLAN, type RotateResult, type RotateStep, type RotateTarget } from '../../shared/contract/rotate'
import type { CoreDeps } from '../core/types'

/**
 * The rotation runner: one record per rotation (`rotations`), its steps run in ROTATE_PLAN order, each audited, the
 * record saved after each, so a failure midway names the step to resume and a later call finishes from there. Steps
 * keep ids and account names in the record's state, never a secret.
 */

/** What a target's steps share: the replacement's id and whatever else its later steps need (no secrets). */
export interface RotationState {
  newId?: string | null
  [k: string]: unknown
}

/** Values a step hands to this call's result only (the Fess value, shown once); never saved. */
export interface Once {
  token?: string
  publicKey?: string
  notes: string[]
}

/** What a step knows of its run: the record's id, whether this call resumes it, and details for its audit row. */
export interface StepCtx {
  rotationId: string
  resumed: boolean
  /** Merged into this step's audit row (ids and flags only, never a secret). */
  detail: Record<string, unknown>
}

export type StepFn<S extends RotationState> = (state: S, once: Once, ctx: StepCtx) => Promise<void>

/**
 * The replacement's marker, derived from the rotation id: a server stores it with the replacement (a name, a claim),
 * so a rotation whose create answer was lost finds what it made. Eight hex digits fit every server's rules.
 */
export const rotationTag = (rotationId: string): string => rotationId.replace(/-/g, '').slice(0, 8)

/** Failures after which a write may have been applied: the request may have left and no answer said otherwise. */
const AFTER_SEND: ReadonlySet<ErrorCode> = new Set([
  'NETWORK',
  'TIMEOUT',
  'PROTOCOL',
  'CANCELLED',
  'SERVER',
  'INTERNAL'
])
/** Transport codes that mean the request never left (no connection was made). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

/** Whether the server may have applied a write that failed with `e`. */
export function mayHaveApplied(e: unknown): boolean {
  if (!isAppError(e)) return true
  if (!AFTER_SEND.has(e.code)) return false
  return !(e.code === 'NETWORK' && NOT_SENT.has(String(e.details?.code ?? '')))
}

/** The same failure, marked so the runner keeps the rotation open: the server may hold the change. */
function unsure(e: unknown): AppError {
  const code: ErrorCode = isAppError(e) ? e.code : 'INTERNAL'
  const message = isAppError(e) ? e.message : 'an unexpected error'
  return new AppError(code, message, { ...(isAppError(e) ? e.details : {}), maybeApplied: true })
}
const markedUnsure = (e: unknown) => isAppError(e) && e.details?.maybeApplied === true

/**
 * Makes a replacement at most once across lost answers: a resumed rotation first looks it up by its marker; a create
 * that fails after the request may have left is looked up at once. Found: adopted. Not found after the server
 * answered with a failure: nothing was made (a plain error). Not found or not checkable otherwise: the rotation stays
 * open, and resume looks again before making one.
 */
export async function createOnce<T>(
  ctx: StepCtx,
  once: Once,
  find: () => Promise<T | null>,
  create: () => Promise<T>
): Promise<T> {
  const adopt = (t: T) => {
    ctx.detail.found = true
    once.notes.push('The replacement an earlier try made was found (its answer had been lost): no second one was made.')
    return t
  }
  if (ctx.resumed) {
    const f = await find()
    if (f) return adopt(f)
  }
  try {
    return await create()
  } catch (e) {
    if (!mayHaveApplied(e)) throw e
    let f: T | null
    try {
      f = await find()
    } catch {
      f = null
    }
    if (f) return adopt(f)
    if (isAppError(e) && e.code === 'SERVER') throw e
    once.notes.push('The server may have made the replacement before the answer was lost: resume looks for it first.')
    throw unsure(e)
  }
}

export interface RotationSpec<S extends RotationState> {
  target: RotateTarget
  connectionId: string | null
  oldId: string
  /** Retire the old token at the end; resume the open rotation instead of starting one. */
  flags: { retireOld?: boolean; resume?: boolean }
  /** The state a fresh rotation starts with (empty by default). */
  init?: S
  steps: Partial<Record<RotateStep, StepFn<S>>>
  /** Notes every result of this target carries (e.g. "tokens from the old secret stop working"). */
  notes?: (state: S, retired: boolean) => string[]
}

interface Row {
  id: string
  status: 'open' | 'kept' | 'done'
  retire: number
  state: string
  done: string
}

/** Steps after which the old and the new token both exist: a failure from here on is resumable, not a plain error. */
const CHANGES: ReadonlySet<RotateStep> = new Set(['create-new', 'keep-secret'])

/** Saves a rotation record after a step. */
function save(
  deps: CoreDeps,
  id: string,
  status: Row['status'],
  retire: boolean,
  state: RotationState,
  done: Record<string, string>
) {
  deps.db
    .prepare('UPDATE rotations SET status = ?, retire = ?, state = ?, done = ?, updated = ? WHERE id = ?')
    .run(status, retire ? 1 : 0, JSON.stringify(state), JSON.stringify(done), deps.now(), id)
}

/** One audit row per step; a failed write goes to stderr rather than stopping the rotation. */
function audit(
  deps: CoreDeps,
  spec: { target: RotateTarget; connectionId: string | null; oldId: string },
  rotationId: string,
  step: RotateStep,
  outcome: string,
  newId: unknown,
  detail: Record<string, unknown> = {}
) {
  try {
    deps.audit.record({
      actor: deps.actor(),
      action: `rotate:${step}`,
      target: spec.oldId,
      outcome,
      details: { ...detail, rotationId, target: spec.target, connectionId: spec.connectionId, newId: newId ?? null }
    })
  } catch {
    process.stderr.write(`tokendesk: could not write the audit row for rotate:${step}\n`)
  }
}

export function createRotations(deps: CoreDeps) {
  const { db } = deps

  const findOpen = (target: RotateTarget, conn: string | null, oldId: string) =>
    db
      .prepare<[string, string, string], Row>(
        "SELECT id, status, retire, state, done FROM rotations WHERE target = ? AND connection_id = ? AND old_id = ? AND status IN ('open', 'kept') ORDER BY created DESC LIMIT 1"
      )
      .get(target, conn ?? '', oldId)

  /** Starts (or, with `resume`, continues) a rotation and runs its steps; see RotateResult for what comes back. */
  async function run<S extends RotationState>(spec: RotationSpec<S>): Promise<RotateResult> {
    const plan = ROTATE_PLAN[spec.target]
    const open = findOpen(spec.target, spec.connectionId, spec.oldId)
    let id: string
    let state: S
    let done: Record<string, string>
    let retire = Boolean(spec.flags.retireOld)
    if (spec.flags.resume) {
      if (!open) fail('NOT_FOUND', `There is no unfinished rotation of ${spec.oldId} to resume`, { id: spec.oldId })
      id = open.id
      state = JSON.parse(open.state) as S
      done = JSON.parse(open.done) as Record<string, string>
      retire = retire || open.retire === 1
    } else {
      if (open?.status === 'open') {
        const d = JSON.parse(open.done) as Record<string, string>
        const next = plan.steps.find((s) => !d[s]) ?? null
        fail('CONFLICT', `A rotation of ${spec.oldId} stopped midway: resume it to finish (step ${next})`, {
          rotationId: open.id,
          resumeFrom: next
        })
      }
      id = randomUUID()
      state = spec.init ?? ({} as S)
      done = {}
      db.prepare(
        'INSERT INTO rotations (id, target, connection_id, old_id, status, retire, state, done, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
      ).run(
        id,
        spec.target,
        spec.connectionId ?? '',
        spec.oldId,
        'open',
        retire ? 1 : 0,
        JSON.stringify(state),
        '{}',
        deps.now(),
        deps.now()
      )
    }
    const retireAt = plan.retireFrom ? plan.steps.indexOf(plan.retireFrom) : plan.steps.length
    const wanted = plan.steps.filter((_s, i) => retire || i < retireAt)
    const once: Once = { notes: [] }
    let failed: RotateResult['failed']
    const resumed = Boolean(spec.flags.resume)
    for (const step of wanted) {
      if (done[step]) continue
      const ctx: StepCtx = { rotationId: id, resumed, detail: {} }
      try {
        await spec.steps[step]?.(state, once, ctx)
      } catch (e) {
        const code: ErrorCode = isAppError(e) ? e.code : 'INTERNAL'
        audit(deps, spec, id, step, code, state.newId, ctx.detail)
        // A record once kept open (or a change the server may have made) is never dropped: resume must find it.
        const changed = resumed || markedUnsure(e) || plan.steps.some((s) => CHANGES.has(s) && done[s])
        if (!changed) {
          // Nothing changed on any server yet: an ordinary error (the audit row tells it), and a fresh start next time.
          db.prepare('DELETE FROM rotations WHERE id = ?').run(id)
          if (isAppError(e)) throw new AppError(e.code, e.message, { ...e.details, rotationId: id, step })
          throw e
        }
        save(deps, id, 'open', retire, state, done)
        failed = { step, code, message: isAppError(e) ? e.message : 'an unexpected error' }
        break
      }
      done[step] = new Date(deps.now()).toISOString()
      audit(deps, spec, id, step, 'ok', state.newId, ctx.detail)
      save(deps, id, 'open', retire, state, done)
    }
    const resumeFrom = failed ? failed.step : (wanted.find((s) => !done[s]) ?? null)
    const retired =
      plan.retireFrom === null ? Boolean(done[plan.steps.at(-1)!]) : plan.steps.slice(retireAt).every((s) => done[s])
    if (!failed) save(deps, id, retired || plan.retireFrom === null ? 'done' : 'kept', retire, state, done)
    if (!failed && !retired && plan.retireFrom)
      once.notes.push('The old token still works: retire it once its consumers use the new one.')
    return {
      rotationId: id,
      target: spec.target,
      connectionId: spec.connectionId,
      oldId: spec.oldId,
      newId: (state.newId as string | null | undefined) ?? null,
      ...(once.token ? { token: once.token } : {}),
      ...(once.publicKey ? { publicKey: once.publicKey } : {}),
      steps: plan.steps.map((s) => ({
        step: s,
        state: done[s] ? 'done' : wanted.includes(s) ? 'pending' : 'skipped',
        at: done[s] ?? null
      })),
      retired,
      resumeFrom,
      ...(failed ? { failed } : {}),
      notes: [...(spec.notes?.(state, retired) ?? []), ...once.notes]
    }
  }

  return { run }
}

export type Rotations = ReturnType<typeof createRotations>
