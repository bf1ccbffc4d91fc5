import fc from 'fast-check'
import type { z } from 'zod'

/**
 * fast-check arbitraries made from a zod schema's shape (no zod-to-arbitrary package is installed): mostly values the
 * schema's own bounds and patterns allow, mixed with hostile ones, so both the accept path and every refusal run.
 */

/** Strings that have broken parsers, terminals or stores before. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '  padded  ',
  '\u0000',
  'nul\u0000inside',
  '\u001b[31mred\u001b[0m',
  '\u001b]0;title\u0007',
  'rlo\u202egnp.exe',
  '\u2066isolate',
  '\u0085next',
  'del\u007f',
  '\ud800',
  'lone\udc00low',
  '😀',
  '令牌',
  'a/b',
  '..\\..\\x',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'toString',
  '%00',
  '%zz',
  "'; DROP TABLE tokens; --",
  '" OR 1=1',
  'http://admin:S3cret@127.0.0.1:9/',
  'line\nbreak',
  'cr\rreturn',
  '\u2028',
  'x'.repeat(300),
  'y'.repeat(5000),
  '*',
  '0',
  '-1',
  '1e400',
  'NaN',
  'null',
  'true',
  '{}',
  '[]'
]
export const HOSTILE_NUMBERS = [
  0,
  -0,
  -1,
  1,
  2 ** 31,
  2 ** 53,
  -(2 ** 53),
  9_000_000_000_000_000,
  99_999_999_999_999,
  1.5,
  Number.MAX_SAFE_INTEGER,
  1e308
]

const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))
/** Any UTF-16 text, lone surrogates and controls included. */
export const anyText = fc.string({ unit: anyUnit, maxLength: 40 })
export const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), anyText)
const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, true, [], {}, ...HOSTILE_NUMBERS),
  hostileString
)

export interface Overrides {
  /** Arbitraries by object key, used instead of the schema's (paths into a temp folder, loopback URLs, small counts). */
  keys?: Record<string, fc.Arbitrary<unknown>>
  /** Chance in 10 of a hostile value in place of each field (0 = schema-shaped values only). */
  hostile?: number
}

type Def = { type: string; [k: string]: any }
const defOf = (s: z.ZodType): Def => (s as any)._zod.def
/** The bounds and patterns a schema's checks set (zod v4 keeps them as check definitions). */
function bagOf(s: z.ZodType): {
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  patterns: RegExp[]
} {
  const def = defOf(s)
  const bag: ReturnType<typeof bagOf> = { patterns: def.pattern instanceof RegExp ? [def.pattern] : [] }
  for (const c of (def.checks ?? []) as Array<{ _zod: { def: Record<string, any> } }>) {
    const d = c._zod.def
    if (d.check === 'min_length') bag.minimum = Math.max(bag.minimum ?? 0, d.minimum)
    else if (d.check === 'max_length') bag.maximum = Math.min(bag.maximum ?? Infinity, d.maximum)
    else if (d.check === 'greater_than') bag[d.inclusive ? 'minimum' : 'exclusiveMinimum'] = d.value
    else if (d.check === 'less_than') bag[d.inclusive ? 'maximum' : 'exclusiveMaximum'] = d.value
    else if (d.check === 'string_format' && d.pattern instanceof RegExp) bag.patterns.push(d.pattern)
  }
  return bag
}

function withHostile<T>(a: fc.Arbitrary<T>, o: Overrides): fc.Arbitrary<unknown> {
  const h = o.hostile ?? 1
  return h > 0 ? fc.oneof({ arbitrary: a, weight: 10 - h }, { arbitrary: hostileValue, weight: h }) : a
}

function stringArb(s: z.ZodType): fc.Arbitrary<string> {
  const bag = bagOf(s)
  const min: number = bag.minimum ?? 0
  const max: number = Math.min(bag.maximum ?? 40, 300)
  const patterns = bag.patterns
  if (patterns.length) {
    try {
      return fc.stringMatching(patterns[0]).filter((v) => v.length >= min && v.length <= (bag.maximum ?? Infinity))
    } catch {
      // a pattern fast-check cannot generate from: plain text below
    }
  }
  return fc.string({ minLength: min, maxLength: Math.max(min, max) })
}

function numberArb(s: z.ZodType): fc.Arbitrary<number> {
  const bag = bagOf(s)
  const lo = Math.max(
    bag.minimum ?? -1e15,
    bag.exclusiveMinimum !== undefined ? bag.exclusiveMinimum + 1 : -1e15,
    -Number.MAX_SAFE_INTEGER
  )
  const hi = Math.min(
    bag.maximum ?? 1e15,
    bag.exclusiveMaximum !== undefined ? bag.exclusiveMaximum - 1 : 1e15,
    Number.MAX_SAFE_INTEGER
  )
  return fc.oneof(
    fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }),
    fc.constantFrom(Math.ceil(lo), Math.floor(hi))
  )
}

/** Inputs of `schema`: half of them shaped by the schema throughout, half with hostile values mixed in. */
export function inputsOf(schema: z.ZodType, keys: (hostile: boolean) => Overrides['keys']): fc.Arbitrary<unknown> {
  return fc.oneof(
    fromSchema(schema, { keys: keys(false), hostile: 0 }),
    fromSchema(schema, { keys: keys(true), hostile: 1 })
  )
}

/** An arbitrary for inputs of `schema`. */
export function fromSchema(schema: z.ZodType, o: Overrides = {}, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema)
  const inner = (s: z.ZodType) => fromSchema(s, o, depth + 1)
  switch (def.type) {
    case 'string':
      return withHostile(stringArb(schema), o)
    case 'number':
      return withHostile(numberArb(schema), o)
    case 'boolean':
      return withHostile(fc.boolean(), o)
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]))
    case 'enum':
      return withHostile(fc.constantFrom(...Object.values(def.entries as Record<string, unknown>)), o)
    case 'optional':
      return fc.option(inner(def.innerType), { nil: undefined, freq: 3 })
    case 'nullable':
      return fc.option(inner(def.innerType), { nil: null, freq: 4 })
    case 'default':
    case 'prefault':
      return fc.option(inner(def.innerType), { nil: undefined, freq: 3 })
    case 'array': {
      const min = bagOf(schema).minimum ?? 0
      return fc.array(inner(def.element), { minLength: min, maxLength: Math.max(min, depth > 2 ? 1 : 4) })
    }
    case 'union':
      return fc.oneof(...(def.options as z.ZodType[]).map(inner))
    case 'record': {
      const keys =
        (o.hostile ?? 1) > 0
          ? fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor'))
          : fc.string({ maxLength: 8 })
      return fc.dictionary(keys, inner(def.valueType), { maxKeys: 3 })
    }
    case 'pipe': {
      const from = defOf(def.in).type === 'unknown' || defOf(def.in).type === 'transform' ? def.out : def.in
      return inner(from)
    }
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>
      const required = Object.keys(shape).filter(
        (k) => !['optional', 'default', 'prefault'].includes(defOf(shape[k]).type)
      )
      const fields = Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, o.keys?.[k] ?? inner(s)]))
      const rec = fc.record(fields, { requiredKeys: required }) as fc.Arbitrary<Record<string, unknown>>
      if ((o.hostile ?? 1) === 0) return rec
      // Sometimes a key the schema does not know, or a __proto__ key as JSON.parse makes one.
      return fc.oneof(
        { arbitrary: rec, weight: 8 },
        {
          arbitrary: fc.tuple(rec, fc.constantFrom('extra', 'constructor')).map(([r, k]) => ({ ...r, [k]: 1 })),
          weight: 1
        },
        {
          arbitrary: rec.map((r) =>
            JSON.parse(JSON.stringify(r).replace(/^\{/, '{"__proto__":{"x":1},').replace(',}', '}'))
          ),
          weight: 1
        }
      )
    }
    case 'unknown':
    case 'any':
      return fc.jsonValue({ maxDepth: 2 })
    default:
      return fc.anything({ maxDepth: 1 })
  }
}
