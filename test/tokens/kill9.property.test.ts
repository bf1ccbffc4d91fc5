import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN } from '../helpers/cli'
import { makeCore, tempDir, type TestCore } from '../helpers/core'
import { roundsOf } from '../helpers/property'
import { startXduaEmulator, type XduaEmulator } from '../emulators/xdua'
import { SEED_CLAIMS } from '../helpers/claims'

// kill -9 at a random point of each long operation of the built CLI: the store stays whole (integrity_check ok),
// every write acknowledged before the kill is still there after the next open, and no torn file stands under a final
// name. One kill per operation in `npm test`, 10 in `npm run test:property`.
const RUNS = roundsOf(1)
const built = existsSync(join(__dirname, '..', '..', 'out', 'main', 'cli.js'))
const keyring = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS)
const ADD = SEED_CLAIMS
const SEEDED = 20_000
const MINTED = 300_000
/** A CLI seed this big is a bulk load (the default threshold is 20,000 rows), as the import of the template is. */
const SEEDED_BY_CLI = 25_000

let work: string
/** A store of SEEDED tokens (its db file, checkpointed) and its export: each run starts from a copy. */
let template: string
let exportFile: string
let secretFile: string
let xdua: XduaEmulator

beforeAll(async () => {
  if (!built) return
  work = tempDir('tokendesk-kill9-')
  template = join(work, 'template')
  const core = makeCore({ dataDir: template })
  const seed = await core.call('tokens:seed', { count: SEEDED, seed: 9 })
  expect((await core.deps.jobs.wait(seed.jobId)).state).toBe('done')
  exportFile = join(work, 'seeded.jsonl')
  const ex = await core.call('tokens:export', { file: exportFile })
  expect((await core.deps.jobs.wait(ex.jobId)).state).toBe('done')
  await core.services.tokens.derived.checkpointed()
  core.close()
  secretFile = join(work, 'secret')
  writeFileSync(secretFile, 'k'.repeat(40), { mode: 0o600 })
  xdua = await startXduaEmulator({ tokens: 3000 })
}, 300_000)
afterAll(async () => {
  await xdua?.close()
})

/** A fresh store for one run: empty or a copy of the template, with a few writes acknowledged before the CLI starts. */
async function prepare(seeded: boolean, setup?: (core: TestCore) => Promise<void>) {
  const dataDir = join(tempDir('tokendesk-kill9-run-'), 'data')
  if (seeded) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    copyFileSync(join(template, 'tokendesk.db'), join(dataDir, 'tokendesk.db'))
  }
  const core = makeCore({ dataDir, keychain: true })
  const acked: string[] = []
  for (let i = 0; i < 3; i++) acked.push((await core.call('tokens:add', { ...ADD, name: `acked_${i}` })).record.id)
  await setup?.(core)
  core.close()
  return { dataDir, acked }
}

/** Starts the CLI, waits until `started()` holds, then a random while more, and kills it with SIGKILL. */
async function killMidway(
  args: string[],
  started: () => boolean,
  maxDelayMs: number
): Promise<{ outcome: 'killed' | 'finished'; ranMs: number }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += String(d)))
  const exited = new Promise<void>((res) => child.on('exit', () => res()))
  let ended = false
  void exited.then(() => (ended = true))
  while (!ended && !started()) await new Promise((r) => setTimeout(r, 10))
  const t0 = Date.now()
  const delay = Math.floor(Math.random() * maxDelayMs)
  await Promise.race([new Promise((r) => setTimeout(r, delay)), exited])
  if (ended) {
    expect(child.exitCode, stderr).toBe(0)
    return { outcome: 'finished', ranMs: Date.now() - t0 }
  }
  child.kill('SIGKILL')
  await exited
  return { outcome: 'killed', ranMs: delay }
}

/**
 * Runs `attempt` until RUNS of its kills landed mid-operation. A run that finished before its kill is checked too and
 * tells how long the rest of the operation takes, so the next kill is drawn from within that time.
 */
async function untilKilled(maxDelayMs: number, attempt: (maxDelayMs: number) => ReturnType<typeof killMidway>) {
  let kills = 0
  let attempts = 0
  while (kills < RUNS) {
    expect(attempts++, 'every run finished before its kill').toBeLessThan(RUNS + 5)
    const r = await attempt(maxDelayMs)
    if (r.outcome === 'killed') kills++
    else maxDelayMs = Math.max(1, Math.min(maxDelayMs, r.ranMs))
  }
}

/** The store right after the kill is whole; the next open repairs what the kill cut short and keeps every acked write. */
async function checkStore(dataDir: string, acked: string[]) {
  const raw = new Database(join(dataDir, 'tokendesk.db'))
  expect(raw.pragma('integrity_check', { simple: true })).toBe('ok')
  raw.close()
  const core = makeCore({ dataDir, keychain: true })
  try {
    expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect((await core.call('system:status', {})).store).toBeNull()
    for (const id of acked) expect((await core.call('tokens:get', { id })).id).toBe(id)
    expect((await core.call('tokens:add', { ...ADD, name: 'after_the_kill' })).record.name).toBe('after_the_kill')
    for (const c of await core.call('connections:list', {})) await core.call('connections:remove', { id: c.id })
  } finally {
    core.cleanup()
  }
}

/** A file under its final name is whole: every line parses and the count is what a finished run writes. */
function checkWhole(file: string, lines: number) {
  if (!existsSync(file)) return
  const text = readFileSync(file, 'utf8')
  expect(text.endsWith('\n')).toBe(true)
  const all = text.trimEnd().split('\n')
  expect(all).toHaveLength(lines)
  for (const l of all) JSON.parse(l)
}

const tokenRows = (dataDir: string) => {
  try {
    const db = new Database(join(dataDir, 'tokendesk.db'), { readonly: true })
    try {
      return (db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n
    } finally {
      db.close()
    }
  } catch {
    return 0
  }
}

describe.skipIf(!built)(`kill -9 mid-operation (${RUNS} landed per operation)`, () => {
  it('import', async () => {
    await untilKilled(1500, async (maxDelayMs) => {
      const { dataDir, acked } = await prepare(false)
      const r = await killMidway(
        ['--data', dataDir, 'tokens', 'import', exportFile, '--batch-size', '1000'],
        () => tokenRows(dataDir) > 3,
        maxDelayMs
      )
      await checkStore(dataDir, acked)
      return r
    })
  }, 600_000)

  it('seed', async () => {
    await untilKilled(1500, async (maxDelayMs) => {
      const { dataDir, acked } = await prepare(false)
      const args = ['--data', dataDir, 'tokens', 'seed', '--count', String(SEEDED_BY_CLI)]
      const r = await killMidway(args, () => tokenRows(dataDir) > 3, maxDelayMs)
      await checkStore(dataDir, acked)
      return r
    })
  }, 600_000)

  it('bulk mint', async () => {
    await untilKilled(3000, async (maxDelayMs) => {
      const { dataDir, acked } = await prepare(false)
      const out = join(dataDir, '..', 'minted.jsonl')
      const args = [
        '--data',
        dataDir,
        'jwt',
        'mint',
        '--count',
        String(MINTED),
        '--out',
        out,
        '--alg',
        'HS256',
        '--secret-file',
        secretFile,
        '--workers',
        '2'
      ]
      const r = await killMidway(args, () => existsSync(out) || existsSync(`${out}.partial`), maxDelayMs)
      checkWhole(out, MINTED)
      await checkStore(dataDir, acked)
      return r
    })
  }, 600_000)

  it('export', async () => {
    await untilKilled(1000, async (maxDelayMs) => {
      const { dataDir, acked } = await prepare(true)
      const file = join(dataDir, '..', 'export.jsonl')
      const r = await killMidway(
        ['--data', dataDir, 'tokens', 'export', file],
        () => existsSync(file) || existsSync(`${file}.partial`),
        maxDelayMs
      )
      // The header, the seeded rows and the acknowledged ones.
      checkWhole(file, 1 + SEEDED + acked.length)
      await checkStore(dataDir, acked)
      return r
    })
  }, 600_000)

  it.skipIf(!keyring)(
    'pull (xdua emulator)',
    async () => {
      await untilKilled(4000, async (maxDelayMs) => {
        const { dataDir, acked } = await prepare(false, async (core) => {
          await core.call('connections:add', {
            name: 'x',
            kind: 'xdua',
            baseUrl: xdua.url,
            authMethod: 'jwt',
            credential: xdua.token
          })
        })
        const r = await killMidway(['--data', dataDir, 'remote', 'pull', '--conn', 'x'], () => true, maxDelayMs)
        await checkStore(dataDir, acked)
        return r
      })
    },
    600_000
  )
})
