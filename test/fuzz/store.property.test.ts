import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import type { z } from 'zod'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCore, type TestCore } from '../helpers/core'
import { PROPERTY_RUNS } from '../helpers/property'
import { fromSchema, inputsOf } from './arbitraries'
import { CLAIM_FIELDS, TokenLine, contract, type Channel, type TokenImportResult } from '../../src/shared/contract'
import { exportedTokenArgs, parsedTokenArgs } from '../../src/main/tokens/bulk/line-parser'
import { normalizePermissions } from '../../src/main/tokens/access-tokens'

/** The key order `tokens export` writes a token line in (the fast parser's own form). */
const EXPORT_ORDER = [
  'kind',
  'id',
  'name',
  'brief',
  'avatar',
  ...CLAIM_FIELDS,
  'state',
  'stato',
  'published',
  'deletedAt',
  'expire',
  'alg',
  'keyName',
  'creator',
  'updater',
  'cstamp',
  'istamp',
  'version',
  'origin'
]
const ORIGIN_ORDER = ['connectionId', 'remoteId', 'pulledAt']
const ordered = (o: Record<string, unknown>) =>
  Object.fromEntries(EXPORT_ORDER.filter((k) => k in o).map((k) => [k, o[k]]))
const lineKeys = (hostile: boolean) => ({
  ipm: hostile
    ? fc.oneof(fc.constantFrom('*', '10.0.0.0/8'), fc.string())
    : fc.constantFrom('*', '10.0.0.0/8', '192.168.1.0/24,192.168.2.10'),
  kind: fc.constant('token')
})
const tokenLines = inputsOf(TokenLine, lineKeys).map((o) => JSON.stringify(ordered(o as Record<string, unknown>)))

/** A line in export's exact form: every key in order, plain strings, integers of at most 15 digits. */
function exportForm(line: string): boolean {
  if (line.includes('\\') || /[\ud800-\udfff]/.test(line)) return false
  const j = JSON.parse(line) as Record<string, unknown>
  if (Object.keys(j).join() !== EXPORT_ORDER.join()) return false
  const o = j.origin as Record<string, unknown> | null
  if (o !== null && (typeof o !== 'object' || Object.keys(o).join() !== ORIGIN_ORDER.join())) return false
  return [j.deletedAt, j.expire, j.cstamp, j.istamp, j.version, o?.pulledAt].every(
    (v) => v === null || v === undefined || (Number.isInteger(v) && Math.abs(v as number) < 1e15)
  )
}

describe("import's fast parser equals the contract's line schema", () => {
  it('accepts exactly the lines TokenLine accepts, with the same values', () => {
    fc.assert(
      fc.property(tokenLines, (line) => {
        const verdict = TokenLine.safeParse(JSON.parse(line))
        const fast = exportedTokenArgs(line)
        const general = parsedTokenArgs(line)
        if (!verdict.success) {
          expect(fast, line).toBeUndefined()
          expect(general, line).toBeUndefined()
          return
        }
        expect(general, line).toBeDefined()
        if (exportForm(line)) expect(fast, line).toEqual(general)
        else if (fast) expect(fast, line).toEqual(general)
      }),
      { numRuns: PROPERTY_RUNS }
    )
  })
})

let core: TestCore
beforeAll(() => {
  core = makeCore()
})
afterAll(() => core?.cleanup())

/** Compares what a channel accepted with what a read gives back, field by field (the parsed input's own values). */
function expectReadBack(sent: Record<string, unknown>, got: Record<string, unknown>, skip: string[]) {
  for (const [k, v] of Object.entries(sent)) {
    if (skip.includes(k) || v === undefined || !(k in got)) continue
    expect(got[k], k).toEqual(v)
  }
}

describe('every accepted create or change reads back exactly what was sent', () => {
  const ADD = contract['tokens:add'].input
  const clean = (s: z.ZodType, keys: Record<string, fc.Arbitrary<unknown>> = {}) => fromSchema(s, { hostile: 0, keys })
  const tokenKeys = {
    ipm: fc.constantFrom('*', '10.0.0.0/8', '2001:db8::/32'),
    keyName: fc.constant(undefined),
    alg: fc.constant(undefined)
  }

  it('tokens:add, then tokens:get', async () => {
    await fc.assert(
      fc.asyncProperty(clean(ADD, tokenKeys), async (input) => {
        const r = (await core.dispatch('tokens:add', input)) as Awaited<ReturnType<TestCore['dispatch']>> & {
          value: { id: string }
        }
        if (!r.ok) {
          expect(['VALIDATION', 'CONFLICT'], JSON.stringify(r.error)).toContain(r.error.code)
          return
        }
        const sent = ADD.parse(input) as Record<string, unknown>
        const got = (await core.call('tokens:get', { id: r.value.id })) as unknown as Record<string, unknown>
        expectReadBack(sent, got, ['expire', 'expiresIn'])
        if (typeof sent.expire === 'number') expect(got.expire).toBe(sent.expire)
        if (typeof sent.expire === 'string') expect(got.expire).toBe(Math.floor(Date.parse(sent.expire) / 1000))
      }),
      { numRuns: PROPERTY_RUNS }
    )
  }, 600_000)

  it('tokens:set, then tokens:get', async () => {
    const SET = contract['tokens:set'].input
    const t = (
      await core.call('tokens:add', {
        typ: 'L',
        aud: 'a',
        sap: 's',
        jti: '1',
        ipm: '*',
        dvm: '*',
        tag: 't',
        api: '*',
        bug: '*',
        shop: 's',
        role: '*',
        rule: '*'
      })
    ).record
    let version = t.version
    await fc.assert(
      fc.asyncProperty(
        clean(SET, {
          id: fc.constant(t.id),
          version: fc.constant(0),
          keyName: fc.constant(undefined),
          alg: fc.constant(undefined)
        }),
        async (input) => {
          const r = (await core.dispatch('tokens:set', { ...(input as object), version })) as
            { ok: true; value: { record: { version: number } } } | { ok: false; error: { code: string } }
          if (!r.ok) {
            expect(['VALIDATION', 'CONFLICT'], JSON.stringify(r.error)).toContain(r.error.code)
            return
          }
          version = r.value.record.version
          const sent = SET.parse({ ...(input as object), version }) as Record<string, unknown>
          const got = (await core.call('tokens:get', { id: t.id })) as unknown as Record<string, unknown>
          expectReadBack(sent, got, ['version', 'expire'])
          if (typeof sent.expire === 'number') expect(got.expire).toBe(sent.expire)
        }
      ),
      { numRuns: PROPERTY_RUNS }
    )
  }, 600_000)

  // Permission lines are normalized as Fess does (trimmed, blank and duplicate lines dropped): compared in that form.
  const creates: Array<[Channel, Channel, (v: { id: string }) => unknown, string[]]> = [
    ['accessTokens:add', 'accessTokens:get', (v) => ({ id: v.id }), ['permissions']],
    ['ssoApps:add', 'ssoApps:get', (v) => ({ id: v.id }), ['secret', 'initpwd', 'signKey']]
  ]
  it.each(creates)(
    '%s, then %s',
    async (create, read, ref, skip) => {
      const schema = contract[create].input
      await fc.assert(
        fc.asyncProperty(clean(schema, { signKey: fc.constant(undefined) }), async (input) => {
          const r = await core.dispatch(create, input as never)
          if (!r.ok) {
            expect(['VALIDATION', 'CONFLICT'], JSON.stringify(r.error)).toContain(r.error.code)
            return
          }
          const sent = schema.parse(input) as Record<string, unknown>
          const got = (await core.call(read, ref(r.value as { id: string }) as never)) as Record<string, unknown>
          expectReadBack(sent, got, skip)
          if (Array.isArray(sent.permissions))
            expect(got.permissions).toEqual(normalizePermissions(sent.permissions as string[]).lines.map((l) => l.line))
        }),
        { numRuns: PROPERTY_RUNS }
      )
    },
    600_000
  )
})

describe('import lines, fuzzed through a real core', () => {
  it('a refused line is a coded VALIDATION naming its line; an accepted one reads back as the schema read it', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.array(tokenLines, { minLength: 1, maxLength: 6 }), async (lines) => {
        const file = join(core.dataDir, `lines-${n++}.jsonl`)
        writeFileSync(file, lines.join('\n'))
        const info = await core.deps.jobs.wait(
          ((await core.call('tokens:import', { file })) as { jobId: string }).jobId
        )
        expect(info.state, JSON.stringify(info.error)).toBe('done')
        const r = info.result as TokenImportResult
        const refused = new Set(r.skipped.filter((s) => s.kind === 'line').map((s) => Number(s.id)))
        for (const s of r.skipped) if (s.kind === 'line') expect(s.code).toBe('VALIDATION')
        lines.forEach((line, i) => {
          const verdict = TokenLine.safeParse(JSON.parse(line))
          expect(refused.has(i + 1), line).toBe(!verdict.success)
        })
        for (const line of lines) {
          const verdict = TokenLine.safeParse(JSON.parse(line))
          if (!verdict.success) continue
          const got = core.db
            .prepare('SELECT name, brief, avatar, expire, cstamp, istamp, creator FROM tokens WHERE id = ?')
            .get(verdict.data.id) as Record<string, unknown> | undefined
          if (!got || got.name !== verdict.data.name) continue // id or name taken by an earlier line: skipped as a duplicate
          const { name, brief, avatar, expire, cstamp, istamp, creator } = verdict.data
          expect(got).toEqual({ name, brief, avatar, expire, cstamp, istamp, creator })
        }
      }),
      { numRuns: Math.max(20, Math.floor(PROPERTY_RUNS / 10)) }
    )
  }, 600_000)
})
