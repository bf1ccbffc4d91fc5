import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCore, tempDir, type TestCore } from '../helpers/core'
import { PROPERTY_RUNS } from '../helpers/property'
import { inputsOf, hostileString } from './arbitraries'
import { channels, contract, type Channel } from '../../src/shared/contract'
import { ERROR_CODES, type AppErrorShape } from '../../src/shared/errors'

/**
 * Every channel of the contract, fed inputs made from its own zod schema (mostly well-shaped, some hostile) through
 * dispatch of a real core with an in-memory secret store: no answer is INTERNAL, every refusal is a coded AppError,
 * and a job a channel starts ends done or with a coded error too.
 */

// Channels whose work grows with an input (key generation, file jobs, network timeouts) run fewer cases.
const SLOW = new Set<Channel>(['keys:generate', 'tokens:seed', 'tokens:export', 'tokens:import', 'jwt:mintStart'])
const runsFor = (c: Channel) => (SLOW.has(c) || c.startsWith('remote:') || c === 'connections:test' ? Math.min(PROPERTY_RUNS, 100) : PROPERTY_RUNS)

let core: TestCore
let dir: string
const ids: string[] = []
const names: string[] = []

const ADD = { typ: 'L', aud: 'AdmManHu', sap: 'SvKerneL', jti: '12345678', ipm: '*', dvm: '*', tag: 'Primary', api: '*', bug: '*', shop: 'EldrCaRE', role: '*', rule: '*' }

beforeAll(async () => {
  core = makeCore()
  dir = tempDir('tokendesk-fuzz-')
  // A few records of each kind, so ids and names in the generated inputs hit real rows as well as missing ones.
  for (let i = 0; i < 4; i++) {
    const t = await core.call('tokens:add', { ...ADD, name: `fuzz_token_${i}` })
    ids.push(t.id)
    names.push(t.record.name)
  }
  const at = await core.call('accessTokens:add', { name: 'fuzz access' })
  const sso = await core.call('ssoApps:add', { name: 'FuzzApp', secret: 's'.repeat(40) })
  const key = await core.call('keys:generate', { name: 'fuzzkey', alg: 'HS256' })
  const conn = await core.call('connections:add', { name: 'fuzz-conn', kind: 'fess', baseUrl: 'http://127.0.0.1:9', authMethod: 'token', credential: 'c', timeoutMs: 200 })
  ids.push(at.id, sso.id, conn.id)
  names.push(sso.name, key.name, conn.name)
})
afterAll(() => core?.cleanup())

/** Keys whose values must stay harmless: files inside a temp folder, loopback servers, small counts and timeouts. */
function overrides(hostile: boolean) {
  const mix = <T>(a: fc.Arbitrary<T>) => (hostile ? fc.oneof(a, hostileString) : a)
  const safeName = mix(fc.constantFrom('a.jsonl', 'missing.jsonl', 'sub/none.jsonl', 'out.csv')).map((n) =>
    join(dir, n.replace(/[/\\]/g, '_').replace(/^\.+$/, 'dots') || 'empty')
  )
  const pick = (xs: string[]) => fc.constantFrom(...xs)
  return {
    file: safeName,
    out: safeName,
    count: fc.integer({ min: 1, max: 20 }),
    baseUrl: fc.constantFrom('http://127.0.0.1:9', 'http://localhost:9/api', 'https://[::1]:9', 'http://admin:pw@127.0.0.1:9', 'ftp://127.0.0.1', 'not a url', 'http://127.0.0.1:9/?token=abc'),
    timeoutMs: fc.constantFrom(100, 200),
    ipm: mix(fc.constantFrom('*', '10.0.0.0/8', '192.168.1.0/24,192.168.2.10', '2001:db8::/32')),
    modulusLength: fc.constant(2048),
    id: mix(fc.oneof(pick(ids), fc.stringMatching(/^[A-Za-z0-9]{8}$/))),
    conn: mix(pick(names)),
    name: mix(fc.oneof(pick(names), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{3,12}$/))),
    version: fc.integer({ min: 0, max: 4 })
  }
}

/** A result's error is a coded AppError, and not INTERNAL. */
function expectCoded(channel: string, input: unknown, e: AppErrorShape | undefined) {
  if (!e) return
  const label = `${channel} ${JSON.stringify(input)?.slice(0, 400)} -> ${JSON.stringify(e).slice(0, 400)}`
  expect(ERROR_CODES, label).toContain(e.code)
  expect(e.code, label).not.toBe('INTERNAL')
  expect(typeof e.message, label).toBe('string')
}

describe('every contract channel, fuzzed through dispatch', () => {
  it.each(channels.map((c) => [c]))('%s: no INTERNAL, every refusal coded', async (channel) => {
    const arb = inputsOf(contract[channel].input, overrides)
    const seen = { ok: 0, refused: new Map<string, number>() }
    await fc.assert(
      fc.asyncProperty(arb, async (input) => {
        let r: Awaited<ReturnType<TestCore['dispatch']>>
        try {
          r = await core.dispatch(channel, input)
        } catch (e) {
          throw new Error(`${channel} threw instead of answering an error value: ${String(e)}`, { cause: e })
        }
        if (!r.ok) {
          seen.refused.set(r.error.code, (seen.refused.get(r.error.code) ?? 0) + 1)
          expectCoded(channel, input, r.error)
          return
        }
        seen.ok++
        const jobId = (r.value as { jobId?: unknown } | null)?.jobId
        if (typeof jobId === 'string') {
          const info = await core.deps.jobs.wait(jobId)
          if (info.state !== 'done') expectCoded(`${channel} (job)`, input, info.error as AppErrorShape | undefined)
        }
      }),
      { numRuns: runsFor(channel) }
    )
    if (process.env.FUZZ_STATS) console.log(channel, seen.ok, JSON.stringify([...seen.refused]))
  }, 600_000)
})
