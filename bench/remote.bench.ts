/**
 * Remote benchmark: listing 10,000 Fess tokens from the emulator with --all, and a full pull of
 * 10,000 tokens into the local store, each against a baseline measured in the same run:
 *   - list:  naive sequential paging with Fess's default page size (25) -> 400 requests, one after another;
 *   - pull:  the same 10,000 rows inserted one autocommit statement at a time (no transaction, no prepared reuse).
 * Goals: list --all <= 2 s, pull <= 3 s. Run: `npx tsx bench/remote.bench.ts` (or `npm run bench -- remote`).
 */
import { cpus, totalmem } from 'node:os'
import { randomUUID } from 'node:crypto'
import { startFessEmulator } from '../test/emulators/fess'
import { makeCore } from '../test/helpers/core'
import { FessClient } from '../src/main/remote/fess'

const N = 10_000
const REPS = 3

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

async function main(): Promise<void> {
  // 9,999 seeded + the admin token = 10,000 tokens on the server (exactly Fess's result window).
  const fess = await startFessEmulator({ tokens: N - 1, seed: 42 })
  const rows: Array<[string, number, string]> = []
  try {
    const client = new FessClient({ baseUrl: fess.url }, { token: fess.adminToken })
    await client.listPage(1, 1) // warm-up: connection, JIT, emulator sort cache

    const naive: number[] = []
    const all: number[] = []
    const allConc1: number[] = []
    for (let r = 0; r < REPS; r++) {
      naive.push(
        await time(async () => {
          const seen = new Set<string>()
          for (let p = 1; p <= N / 25; p++) for (const it of (await client.listPage(p, 25)).items) seen.add(it.id)
          if (seen.size !== N) throw new Error(`naive listing saw ${seen.size}`)
        })
      )
      all.push(
        await time(async () => {
          const l = await client.list({ all: true })
          if (new Set(l.items.map((i) => i.id)).size !== N) throw new Error(`--all saw ${l.items.length}`)
        })
      )
      allConc1.push(await time(() => client.list({ all: true, concurrency: 1 })))
    }
    await client.close()

    // Through the whole stack: dispatch -> client -> emulator, as `tokendesk remote fess list --all` runs it.
    const core = makeCore()
    await core.call('connections:add', {
      name: 'bench',
      kind: 'fess',
      baseUrl: fess.url,
      authMethod: 'token',
      credential: fess.adminToken
    })
    const viaDispatch: number[] = []
    for (let r = 0; r < REPS; r++)
      viaDispatch.push(await time(() => core.call('remote:fessList', { conn: 'bench', all: true })))
    core.cleanup()

    const base = median(naive)
    rows.push(['list: naive page-25 sequential (baseline, 400 requests)', base, '1.00x'])
    rows.push([
      'list --all: 10 pages of 1000, concurrency 4 (client)',
      median(all),
      `${(base / median(all)).toFixed(1)}x faster`
    ])
    rows.push([
      'list --all: 10 pages of 1000, concurrency 1 (client)',
      median(allConc1),
      `${(base / median(allConc1)).toFixed(1)}x faster`
    ])
    rows.push([
      'list --all through dispatch (remote:fessList)',
      median(viaDispatch),
      `${(base / median(viaDispatch)).toFixed(1)}x faster`
    ])

    // Pull: a fresh store each time (the first pull inserts everything).
    const pulls: number[] = []
    const naiveInserts: number[] = []
    for (let r = 0; r < REPS; r++) {
      const c = makeCore()
      await c.call('connections:add', {
        name: 'bench',
        kind: 'fess',
        baseUrl: fess.url,
        authMethod: 'token',
        credential: fess.adminToken
      })
      pulls.push(
        await time(async () => {
          const { jobId } = await c.call('remote:pull', { conn: 'bench' })
          const info = await c.deps.jobs.wait(jobId)
          if (info.state !== 'done' || (info.result as { inserted: number }).inserted !== N)
            throw new Error(`pull ${info.state}`)
        })
      )
      const items = (await new FessClient({ baseUrl: fess.url }, { token: fess.adminToken }).list({ all: true })).items
      const connId = c.services.remote.connections.row('bench').id
      naiveInserts.push(
        await time(async () => {
          for (const it of items)
            c.db
              .prepare(
                `INSERT INTO access_tokens (id, name, parameter_name, permissions, expires, created, updated, origin_connection_id, remote_id, pulled_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
              )
              .run(
                randomUUID(),
                it.name,
                it.parameterName,
                it.permissions.join('\n'),
                it.expires,
                it.createdTime,
                it.updatedTime,
                `${connId}-naive`,
                it.id,
                Date.now()
              )
        })
      )
      c.cleanup()
    }
    const pullBase = median(naiveInserts)
    rows.push(['store: 10,000 autocommit inserts, no list (baseline)', pullBase, '1.00x'])
    rows.push([
      'pull 10,000 (list --all + one upsert transaction)',
      median(pulls),
      `${(pullBase / median(pulls)).toFixed(1)}x faster`
    ])
  } finally {
    await fess.close()
  }

  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  process.stdout.write(
    `remote bench, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} x ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GB\n` +
      `${N} Fess tokens on the emulator over loopback HTTP; median of ${REPS} runs\n\n`
  )
  const w = Math.max(...rows.map((r) => r[0].length))
  process.stdout.write(`${'case'.padEnd(w)}  ${'ms'.padStart(8)}  vs baseline\n`)
  for (const [name, ms, ratio] of rows)
    process.stdout.write(`${name.padEnd(w)}  ${ms.toFixed(1).padStart(8)}  ${ratio}\n`)
  const list = rows.find((r) => r[0].startsWith('list --all through'))![1]
  const pull = rows.find((r) => r[0].startsWith('pull'))![1]
  process.stdout.write(
    `\ngoals: list --all <= 2000 ms: ${list <= 2000 ? 'met' : 'MISSED'} (${list.toFixed(0)} ms); pull <= 3000 ms: ${pull <= 3000 ? 'met' : 'MISSED'} (${pull.toFixed(0)} ms)\n`
  )
}

main().catch((e) => {
  process.stderr.write(`remote bench failed: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
