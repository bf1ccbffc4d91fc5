import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { makeCore, tempDir, type TestCore } from '../helpers/core'
import { PROPERTY_RUNS } from '../helpers/property'
import { inputsOf, hostileString } from './arbitraries'
import { startDataforEmulator, type DataforEmulator } from '../emulators/datafor'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'
import { startXduaEmulator, type XduaEmulator } from '../emulators/xdua'
import { channels, contract, type Channel, type Input } from '../../src/shared/contract'
import { ERROR_CODES, type AppErrorShape } from '../../src/shared/errors'
import { SEED_CLAIMS } from '../helpers/claims'

/**
 * Every channel of the contract, fed inputs made from its own zod schema (mostly well-shaped, some hostile) through
 * dispatch of a real core with an in-memory secret store: no answer is INTERNAL, every refusal is a coded AppError,
 * and a job a channel starts ends done or with a coded error too. Connections point at the Fess, Datafor and xdua
 * emulators (and one closed port), so remote channels run their accept paths and the store fills with pulled rows.
 */

// `npm test` runs 100 cases per channel (the contract has about a hundred channels); `npm run test:property` the
// full count. Channels whose cases cost a key generation, a file job, a pull of whole servers or the whole inventory
// run a twentieth of them (at least 30).
const CASES = process.env.TOKENDESK_PROPERTY_RUNS ? PROPERTY_RUNS : 100
const HEAVY = new Set<Channel>([
  'keys:generate',
  'tokens:seed',
  'tokens:export',
  'tokens:import',
  'jwt:mintStart',
  'remote:pull',
  'remote:diff',
  'inventory:refresh',
  'inventory:export',
  'connections:test',
  'watch:check'
])
const runsFor = (c: Channel) => (HEAVY.has(c) ? Math.max(Math.min(CASES, 30), Math.floor(CASES / 20)) : CASES)

let core: TestCore
let dir: string
const ids: string[] = []
const names: string[] = []
let fess: FessEmulator
let datafor: DataforEmulator
let xdua: XduaEmulator
let junk: Server
let fixtures: Array<Input<'connections:add'>> = []
let urls: string[] = []

const ADD = SEED_CLAIMS

beforeAll(async () => {
  core = makeCore()
  dir = tempDir('tokendesk-fuzz-')
  ;[fess, datafor, xdua] = await Promise.all([
    startFessEmulator({ tokens: 12 }),
    startDataforEmulator({ configs: 3 }),
    startXduaEmulator({ tokens: 12 })
  ])
  // A server that answers at once with what no client expects (a closed port would cost each read its retries).
  junk = createServer((req, res) =>
    req.resume().on('end', () => res.writeHead(req.url?.includes('a') ? 200 : 500).end('<html>no</html>'))
  )
  await new Promise<void>((r) => junk.listen(0, '127.0.0.1', () => r()))
  urls = [fess.url, datafor.url, xdua.url, `http://127.0.0.1:${(junk.address() as AddressInfo).port}/x`]
  fixtures = [
    { name: 'fuzz-conn', kind: 'fess', baseUrl: urls[3], authMethod: 'token', credential: 'c', timeoutMs: 200 },
    {
      name: 'fuzz-fess',
      kind: 'fess',
      baseUrl: fess.url,
      authMethod: 'token',
      credential: fess.adminToken,
      timeoutMs: 2000
    },
    {
      name: 'fuzz-datafor',
      kind: 'datafor',
      baseUrl: datafor.url,
      authMethod: 'basic',
      username: 'admin',
      credential: 'admin-pass',
      timeoutMs: 2000
    },
    { name: 'fuzz-xdua', kind: 'xdua', baseUrl: xdua.url, authMethod: 'jwt', credential: xdua.token, timeoutMs: 2000 }
  ]
  // A few records of each kind, so ids and names in the generated inputs hit real rows as well as missing ones.
  for (let i = 0; i < 4; i++) {
    const t = await core.call('tokens:add', { ...ADD, name: `fuzz_token_${i}` })
    ids.push(t.id)
    names.push(t.record.name)
  }
  const at = await core.call('accessTokens:add', { name: 'fuzz access' })
  const sso = await core.call('ssoApps:add', { name: 'FuzzApp', secret: 's'.repeat(40) })
  const key = await core.call('keys:generate', { name: 'fuzzkey', alg: 'HS256' })
  ids.push(at.id, sso.id)
  names.push(sso.name, key.name, ...fixtures.map((f) => f.name))
  for (const f of fixtures) ids.push((await core.call('connections:add', f)).id)
})
afterAll(async () => {
  core?.cleanup()
  await Promise.all([fess, datafor, xdua].map((e) => e?.close()))
  await new Promise((r) => junk?.close(r))
})

/** Keeps each emulator at its first `n` records, so a channel that created thousands does not slow every later pull. */
function trimEmulators(n = 40) {
  const trim = (m: Map<string, unknown>) => [...m.keys()].slice(n).forEach((k) => m.delete(k))
  trim(fess.state.items)
  fess.state.changed()
  trim(datafor.state.configs)
  trim(xdua.state.tokens)
  for (const e of [fess, datafor, xdua]) e.clearRequests()
}

/**
 * Before each channel: the fixture connections as they were, and no others. An earlier channel may have removed or
 * changed them, and every added connection would make each later refresh pull one more server.
 */
beforeEach(async () => {
  trimEmulators()
  for (const c of await core.call('connections:list', {})) {
    const f = fixtures.find((x) => x.name === c.name)
    if (!f || c.version !== 1) await core.call('connections:remove', { id: c.id })
  }
  const left = new Set((await core.call('connections:list', {})).map((c) => c.name))
  for (const f of fixtures) if (!left.has(f.name)) await core.call('connections:add', f)
})

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
    // Mostly servers that answer; a closed port now and then (each costs a read's retries).
    baseUrl: fc.oneof(
      { arbitrary: fc.constantFrom(...urls), weight: 8 },
      {
        arbitrary: fc.constantFrom(
          'http://127.0.0.1:9',
          'http://localhost:9/api',
          'https://[::1]:9',
          'http://admin:pw@127.0.0.1:9',
          'ftp://127.0.0.1',
          'not a url',
          'http://127.0.0.1:9/?token=abc'
        ),
        weight: 2
      }
    ),
    timeoutMs: fc.constantFrom(100, 200),
    ipm: mix(fc.constantFrom('*', '10.0.0.0/8', '192.168.1.0/24,192.168.2.10', '2001:db8::/32')),
    modulusLength: fc.constant(2048),
    id: mix(fc.oneof(pick(ids), fc.stringMatching(/^[A-Za-z0-9]{8}$/))),
    conn: mix(
      fc.oneof(
        { arbitrary: fc.constantFrom('fuzz-conn', 'fuzz-fess', 'fuzz-datafor', 'fuzz-xdua'), weight: 4 },
        { arbitrary: pick(names), weight: 1 }
      )
    ),
    name: mix(fc.oneof(pick(names), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{3,12}$/))),
    version: fc.integer({ min: 0, max: 4 }),
    cursor: fc.option(mix(cursors), { nil: undefined, freq: 3 })
  }
}

/**
 * Cursors in the shapes the pagers encode (base64url JSON: tokens {s,d,v,r}, apps {n,i}, inventory [v,r,rid]) with any
 * JSON where a value goes, so a crafted cursor reaches the SQL it feeds; random text never decodes to one.
 */
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom(1e308, -1, 2 ** 62, ''))
const cursors = fc
  .oneof(
    fc.record({
      s: fc.constantFrom('name', 'created', 'updated', 'expiry'),
      d: fc.constantFrom('asc', 'desc'),
      v: anyJson,
      r: anyJson
    }),
    fc.record({ n: anyJson, i: anyJson }),
    fc.tuple(anyJson, anyJson, anyJson)
  )
  .map((c) => Buffer.from(JSON.stringify(c)).toString('base64url'))

/** A result's error is a coded AppError, and not INTERNAL. */
function expectCoded(channel: string, input: unknown, e: AppErrorShape | undefined) {
  if (!e) return
  const label = `${channel} ${JSON.stringify(input)?.slice(0, 400)} -> ${JSON.stringify(e).slice(0, 400)}`
  expect(ERROR_CODES, label).toContain(e.code)
  expect(e.code, label).not.toBe('INTERNAL')
  expect(typeof e.message, label).toBe('string')
}

/** Feeds a channel its generated inputs; each answer is a value or a coded error, and so is the end of any job. */
async function fuzzChannel(channel: Channel) {
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
}

// A channel at 10,000 cases over a grown store can take longer than the default ten minutes here.
const TIMEOUT = 600_000 * Math.max(1, PROPERTY_RUNS / 1000)

describe('every contract channel, fuzzed through dispatch', () => {
  it.each(channels.map((c) => [c]))('%s: no INTERNAL, every refusal coded', (channel) => fuzzChannel(channel), TIMEOUT)
})

// The reads again, over the store the channels above filled: imported, seeded and pulled rows, odd names included.
const READS = channels.filter((c) => !contract[c].mutates && /^(tokens|inventory|accessTokens|ssoApps|audit):/.test(c))

describe('every read channel again, over the filled store', () => {
  it.each(READS.map((c) => [c]))('%s: no INTERNAL, every refusal coded', (channel) => fuzzChannel(channel), TIMEOUT)
})
