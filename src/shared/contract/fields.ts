import { z } from 'zod'
import { lazy } from './define'

/**
 * Field rules shared by every record kind: time ranges and names free of control characters. Add, set, import and pull
 * all check through these, so a value one front end refuses is refused by every other.
 */

/** 9999-12-31T23:59:59Z: the last second a 4-digit ISO year (and every clock format here) can show. */
export const MAX_UNIX_S = 253_402_300_799
export const MAX_UNIX_MS = MAX_UNIX_S * 1000 + 999
const RANGE_S = `0..${MAX_UNIX_S} (UNIX seconds up to the year 9999)`
const RANGE_MS = `0..${MAX_UNIX_MS} (epoch milliseconds up to the year 9999)`

/** A UNIX-seconds time (0 = never where the field says so). */
export const UnixSeconds = lazy(() =>
  z.number().int().min(0, `must be in ${RANGE_S}`).max(MAX_UNIX_S, `must be in ${RANGE_S}`)
)
/** An epoch-milliseconds time (stamps: cstamp, istamp, deleted_at, created, updated, pulled_at). */
export const UnixMs = lazy(() =>
  z.number().int().min(0, `must be in ${RANGE_MS}`).max(MAX_UNIX_MS, `must be in ${RANGE_MS}`)
)
export const inUnixSeconds = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_UNIX_S
export const inUnixMs = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_UNIX_MS

/** An ISO date or date-time whose instant lies in the UNIX-seconds range (a -14:00 offset can push 9999-12-31 past it). */
export const isoInRange = (v: string): boolean => {
  const ms = Date.parse(v)
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_UNIX_MS
}

/**
 * C0 and C1 controls, DEL, and the bidirectional controls (U+061C, U+200E/F, U+202A-E, U+2066-9) that reorder or
 * hide text on a terminal or a page; plus a lone surrogate, which no UTF-8 file can hold.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\p{Cs}/u
export const hasControl = (s: string): boolean => CONTROLS.test(s)
/** Only a lone surrogate (text that cannot be written as UTF-8): refused in every stored string. */
const LONE_SURROGATE = /\p{Cs}/u
export const isWellFormed = (s: string): boolean => !LONE_SURROGATE.test(s)

export const NO_CONTROLS = 'no control characters (C0, C1, DEL, bidirectional overrides) and no lone surrogates'

/** A name-like string: refuses controls (the message names the rule; dispatch names the field). */
export const noControls = <T extends z.ZodType<string>>(s: T) => s.refine((v) => !hasControl(v), NO_CONTROLS)
/** Any stored text: refuses lone surrogates only (they would be stored as U+FFFD and read back changed). */
export const wellFormed = <T extends z.ZodType<string>>(s: T) =>
  s.refine(isWellFormed, 'must be valid Unicode (no lone surrogates)')

/** creator / updater: the operator name, as settings keep it. */
export const ActorName = lazy(() => noControls(z.string().max(64, 'at most 64 characters')))

/** Where the first own `__proto__` key sits in a JSON-like value (an object path), or null when there is none. */
function protoKeyPath(v: unknown, seen = new WeakSet<object>()): Array<string | number> | null {
  if (typeof v !== 'object' || v === null || seen.has(v)) return null
  seen.add(v)
  if (Object.prototype.hasOwnProperty.call(v, '__proto__')) return ['__proto__']
  for (const [k, child] of Object.entries(v)) {
    const p = protoKeyPath(child, seen)
    if (p) return [Array.isArray(v) ? Number(k) : k, ...p]
  }
  return null
}

/**
 * A JSON object that reads back whole. A `__proto__` key (at any depth) does not survive a copy into a plain object
 * (it sets the prototype instead), so it is refused with the key's path rather than silently dropped.
 */
export const plainRecord = <V extends z.ZodType>(value: V, key: z.ZodType<string, string> = z.string()) =>
  z
    .unknown()
    .superRefine((v, ctx) => {
      const path = protoKeyPath(v)
      if (path)
        ctx.addIssue({
          code: 'custom',
          path,
          message: 'a "__proto__" key cannot be kept in a JSON object: rename it',
          fatal: true
        })
    })
    .pipe(z.record(key, value))

/** A record's optimistic-lock version: an update or delete names the one it read, and a stale one is refused. */
export const Version = lazy(() => z.number().int().positive())

/** The id of an access token or SSO app: made here (ids.ts) or, for a pulled copy, the server's own. */
export const recordId = (noun: string) =>
  lazy(() => z.string().regex(/^[A-Za-z0-9_-]{8,40}$/, `${noun} id is 8–40 letters, digits, - or _`))

/** The input of a channel that takes none: `{}` or nothing at all. A fresh stand-in per channel, built on its own use. */
export const noInput = () => lazy(() => z.strictObject({}).default({}))

/** A keyset-paged list's answer: one page of items and the cursor of the next page (null on the last). */
export interface KeysetPage<T> {
  items: T[]
  nextCursor: string | null
}

/** A keyset-paged list's input: an optional search of up to `searchMax` characters, the page size and the cursor. */
export const searchPage = (searchMax: number) =>
  z.strictObject({
    search: z.string().max(searchMax).optional(),
    limit: z.number().int().min(1).max(500).default(50),
    cursor: z.string().max(500).optional()
  })
