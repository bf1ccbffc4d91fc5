/**
 * The lifecycle of the local store's tokens: xdua's 13 verbs, the five states and where each verb leads from each
 * (seeds/002, contracts/xdua.md).
 */

/** The 13 verbs of xdua's token resource, as the local store implements them. */
const TOKEN_VERBS = ['ADD', 'SET', 'DOL', 'RCC', 'DIS', 'ENB', 'OFF', 'PUB', 'GET', 'GIT', 'QRY', 'QRI', 'DEL'] as const
export type TokenVerb = (typeof TOKEN_VERBS)[number]

/**
 * Lifecycle states. enabled/disabled (DIS/ENB) and online/offline (PUB/OFF) are independent, so a live token is in
 * one of four states; DOL moves it to the bin (which keeps the two flags for RCC to restore).
 */
export const LIFE_STATES = ['enabled-offline', 'enabled-online', 'disabled-offline', 'disabled-online', 'bin'] as const
export type LifeState = (typeof LIFE_STATES)[number]

/**
 * What a verb does from a state: move to a state (`to`), list or hide the record (the query verbs QRY/QRI), leave it
 * as it is (GET/GIT/SET), remove it for good (DEL), or refuse with INVALID_STATE.
 */
export type Transition =
  | { kind: 'to'; state: LifeState }
  | { kind: 'same' }
  | { kind: 'listed' }
  | { kind: 'hidden' }
  | { kind: 'removed' }
  /** RCC: back to the live state the token had when it was binned (DOL keeps the enabled/online flags). */
  | { kind: 'restored' }
  | { kind: 'refused'; reason: string }

const to = (state: LifeState): Transition => ({ kind: 'to', state })
const same: Transition = { kind: 'same' }
const refused = (reason: string): Transition => ({ kind: 'refused', reason })
const inBin = refused('the token is in the recycle bin: only RCC, GET and DEL apply')
/** A live state's row: the four live states differ only in the state verbs DIS, ENB, OFF and PUB. */
const live = (verbs: Record<'DIS' | 'ENB' | 'OFF' | 'PUB', Transition>): Record<TokenVerb, Transition> => ({
  ADD: same,
  SET: same,
  DOL: to('bin'),
  RCC: refused('the token is not in the recycle bin'),
  ...verbs,
  GET: same,
  GIT: same,
  QRY: { kind: 'listed' },
  QRI: { kind: 'listed' },
  DEL: { kind: 'removed' }
})

/**
 * THE state machine (contracts/xdua.md "Lifecycle"). The service consults it for every verb, the console
 * shows only the verbs it allows, a test walks every verb from every state, and the README renders it.
 * ADD creates a token in `enabled-offline` (designed offline, published when ready).
 */
export const TOKEN_STATE_TABLE: Record<LifeState, Record<TokenVerb, Transition>> = {
  'enabled-offline': live({
    DIS: to('disabled-offline'),
    ENB: refused('already enabled'),
    OFF: refused('already offline'),
    PUB: to('enabled-online')
  }),
  'enabled-online': live({
    DIS: to('disabled-online'),
    ENB: refused('already enabled'),
    OFF: to('enabled-offline'),
    PUB: refused('already online')
  }),
  'disabled-offline': live({
    DIS: refused('already disabled'),
    ENB: to('enabled-offline'),
    OFF: refused('already offline'),
    PUB: to('disabled-online')
  }),
  'disabled-online': live({
    DIS: refused('already disabled'),
    ENB: to('enabled-online'),
    OFF: to('disabled-offline'),
    PUB: refused('already online')
  }),
  bin: {
    ADD: same,
    SET: inBin,
    DOL: refused('already in the recycle bin'),
    RCC: { kind: 'restored' },
    DIS: inBin,
    ENB: inBin,
    OFF: inBin,
    PUB: inBin,
    GET: same,
    GIT: inBin,
    QRY: { kind: 'hidden' },
    QRI: { kind: 'hidden' },
    DEL: { kind: 'removed' }
  }
}
// ADD does not act on an existing record; its row says only that creating another token is possible from anywhere.

/** Verbs that act on one existing record (ADD creates, QRY/QRI query the collection). */
export const RECORD_VERBS = ['SET', 'DOL', 'RCC', 'DIS', 'ENB', 'OFF', 'PUB', 'GET', 'GIT', 'DEL'] as const
export type RecordVerb = (typeof RECORD_VERBS)[number]

export function lifeStateOf(r: { enabled: boolean; published: boolean; deleted: boolean }): LifeState {
  if (r.deleted) return 'bin'
  return `${r.enabled ? 'enabled' : 'disabled'}-${r.published ? 'online' : 'offline'}` as LifeState
}

/** The record verbs the table allows from a state (the console shows only these). */
export function verbsFrom(state: LifeState): RecordVerb[] {
  return RECORD_VERBS.filter((v) => TOKEN_STATE_TABLE[state][v].kind !== 'refused')
}

/** Markdown rendering of the table, for the README and the report (a test checks it matches the table). */
export function renderStateTable(): string {
  const cell = (t: Transition) =>
    t.kind === 'to'
      ? `→ ${t.state}`
      : t.kind === 'restored'
        ? '→ state before DOL'
        : t.kind === 'refused'
          ? 'INVALID_STATE'
          : t.kind === 'same'
            ? 'ok'
            : t.kind
  // ADD acts on no existing record: every verb but ADD is a column.
  const verbs = TOKEN_VERBS.filter((v) => v !== 'ADD')
  const head = `| state | ${verbs.join(' | ')} |`
  const sep = `|---|${verbs.map(() => '---').join('|')}|`
  const rows = LIFE_STATES.map((s) => `| ${s} | ${verbs.map((v) => cell(TOKEN_STATE_TABLE[s][v])).join(' | ')} |`)
  return [
    'ADD creates a token in `enabled-offline`. QRY/QRI list live tokens and hide binned ones. Refusals are',
    '`INVALID_STATE` with `details.state`; any verb on a missing id is `NOT_FOUND`; a stale `version` is `CONFLICT`;',
    'pulled copies refuse every change with `READ_ONLY`.',
    '',
    head,
    sep,
    ...rows
  ].join('\n')
}
