import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { spawn, spawnSync } from 'node:child_process'
import { request } from 'node:http'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Command } from 'commander'
import { BIN, runCli, runMain } from '../helpers/cli'
import { tempDir } from '../helpers/core'
import { buildProgram } from '../../src/main/cli'
import { TOKEN_SUBCOMMANDS } from '../../src/main/cli/commands/tokens'
import { JWT_SUBCOMMANDS } from '../../src/main/cli/commands/jwt/jwt-commands'

let data: string
beforeAll(() => {
  data = tempDir()
})
afterAll(() => rmSync(data, { recursive: true, force: true }))

describe('tokendesk CLI (spine)', () => {
  it('status prints the data folder, schema version and keychain state', async () => {
    const r = await runMain(['--data', data, 'status'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`data folder     ${data}`)
    expect(r.stdout).toMatch(/schema version {2}\d+/)
    expect(r.stdout).toMatch(/keychain {8}(reachable|NOT reachable)/)
  })

  it('status --json is machine-readable', async () => {
    const r = await runMain(['--data', data, '--json', 'status'])
    expect(r.code).toBe(0)
    const s = r.json()
    expect(s).toMatchObject({ dataDir: data, mode: 'cli' })
    expect(typeof s.keychain.available).toBe('boolean')
  })

  it('reads the data folder from TOKENDESK_DATA when --data is absent', async () => {
    const r = await runMain(['--json', 'status'], { env: { ...process.env, TOKENDESK_DATA: data } })
    expect(r.json().dataDir).toBe(data)
  })

  it('exits 2 on a usage error', async () => {
    expect(runCli(['--data', data, 'no-such-command']).code).toBe(2)
    expect((await runMain(['--data', data, 'audit', 'list', '--limit', 'many'])).code).toBe(2)
  })

  it('exits 1 on a failed operation, with `error CODE: message` and a JSON error', async () => {
    const r = await runMain(['--data', data, '--json', 'audit', 'list', '--limit', '5000'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^error VALIDATION: limit: /m)
    expect(r.json()).toEqual({ error: { code: 'VALIDATION', message: expect.stringContaining('limit') } })
    // The real bin sets the process's exit code from main()'s answer.
    const spawned = runCli(['--data', data, '--json', 'audit', 'list', '--limit', '5000'])
    expect([spawned.code, spawned.stdout]).toEqual([1, r.stdout])
  })

  it('audit list shows mutations made through the same dispatch', async () => {
    // tokendesk has no settings command yet; write one audit row through the web mode's dispatch instead.
    const r = await runMain(['--data', data, '--json', 'audit', 'list', '--limit', '10'])
    expect(r.code).toBe(0)
    expect(Array.isArray(r.json().items)).toBe(true)
  })

  it('serve --port 0 prints the session URL first and serves RPC on loopback', async () => {
    const child = spawn(process.execPath, [BIN, '--data', data, 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    try {
      const first: string = await new Promise((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve)
        child.once('exit', (code) => reject(new Error(`serve exited ${code}`)))
      })
      expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/)
      const u = new URL(first)
      const token = u.searchParams.get('token')!
      const body: string = await new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: Number(u.port),
            path: '/rpc/system:updateSettings',
            method: 'POST',
            headers: { host: u.host, 'content-type': 'application/json', 'x-tokendesk-session': token }
          },
          (res) => {
            let b = ''
            res.on('data', (c) => (b += c))
            res.on('end', () => resolve(b))
          }
        )
        req.on('error', reject)
        req.end(JSON.stringify({ operator: 'webop' }))
      })
      expect(JSON.parse(body)).toMatchObject({ ok: true, value: { operator: 'webop' } })
    } finally {
      child.kill('SIGTERM')
    }
    const audit = await runMain(['--data', data, '--json', 'audit', 'list', '--action', 'system:updateSettings'])
    expect(audit.json().items[0]).toMatchObject({ actor: 'webop', outcome: 'ok' })
  })
})

describe('tokendesk --version and --help (the built bin)', () => {
  // A preload that records, at exit, every module the run loaded (native addons included: they sit in require.cache).
  const dir = tempDir('tokendesk-cli-startup-')
  const recorder = join(dir, 'record.cjs')
  writeFileSync(
    recorder,
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.RECORD_TO, Object.keys(require.cache).join('\\n')))\n"
  )
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  for (const args of [['--version'], ['--help'], ['help']]) {
    it(`${args.join(' ')} loads neither better-sqlite3 nor keytar and creates no data folder`, () => {
      const home = join(dir, `home${args.join('')}`)
      const env = {
        ...process.env,
        HOME: home,
        XDG_DATA_HOME: join(home, 'share'),
        TOKENDESK_DATA: join(dir, `data${args.join('')}`),
        RECORD_TO: join(dir, 'loaded.txt')
      }
      const r = spawnSync(process.execPath, ['--require', recorder, BIN, ...args], {
        encoding: 'utf8',
        env,
        timeout: 60_000
      })
      expect(r.status, r.stderr).toBe(0)
      expect(r.stdout).toMatch(args[0] === '--version' ? /^\d+\.\d+\.\d+\n$/ : /^Usage: tokendesk /)
      const loaded = readFileSync(env.RECORD_TO, 'utf8').split('\n')
      expect(
        loaded.some((f) => f.endsWith(join('out', 'main', 'cli.js'))),
        'the recorder saw the CLI'
      ).toBe(true)
      expect(loaded.filter((f) => /[\\/](better-sqlite3|keytar)[\\/]|\.node$/.test(f))).toEqual([])
      expect(existsSync(home)).toBe(false)
      expect(existsSync(env.TOKENDESK_DATA)).toBe(false)
    })
  }
})

describe.each([
  ['tokens', TOKEN_SUBCOMMANDS],
  ['jwt', JWT_SUBCOMMANDS]
])('%s: a run registers only the subcommand its argv names', (name, subcommands) => {
  const commandOf = async (args: string[]): Promise<Command> =>
    (await buildProgram(args)).program.commands.find((c) => c.name() === name)!
  /** A command as commander sees it: its help (options, arguments, description) and its subcommands. */
  const shape = (c: Command): unknown => ({
    help: c.helpInformation(),
    options: c.options.map((o) => [o.flags, o.mandatory, o.defaultValue]),
    children: c.commands.map(shape)
  })

  it('each subcommand alone is registered exactly as in the whole tree', async () => {
    const full = await commandOf([name])
    expect(full.commands.map((c) => c.name())).toEqual(subcommands)
    for (const sub of subcommands) {
      const alone = await commandOf(['--json', name, sub, '--if-version', '3'])
      expect(alone.commands.map((c) => c.name())).toEqual([sub])
      expect(shape(alone.commands[0])).toEqual(shape(full.commands.find((c) => c.name() === sub)!))
    }
  })

  it('registers them all where its help may be asked for, or no subcommand is named', async () => {
    const sub = subcommands[2]
    for (const args of [
      [name, '--help', sub],
      [name, '-h'],
      ['help', name, sub],
      [name, '--', sub],
      [name, `${sub}x`],
      [name, 'help', sub],
      [name]
    ])
      expect(
        (await commandOf(args)).commands.map((c) => c.name()),
        args.join(' ')
      ).toEqual(subcommands)
  })

  it(`answers \`${name} --help\` and a misspelt subcommand as before`, async () => {
    const help = await runMain([name, '--help'])
    expect(help.code).toBe(0)
    for (const sub of subcommands) expect(help.stdout).toMatch(new RegExp(`^  ${sub}\\b`, 'm'))
    const typo = await runMain(['--data', data, name, `${subcommands[2]}x`])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain(`Did you mean ${subcommands[2]}?`)
  })
})
