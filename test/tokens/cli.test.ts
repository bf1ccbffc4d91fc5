import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { DB_FILE } from '../../src/main/db'
import { runMain } from '../helpers/cli'
import { tempDir } from '../helpers/core'
import { claimFlags, SEED_CLAIMS } from '../helpers/claims'

// Runs the CLI's main() in-process; keychain commands need the private keyring (scripts/with-keyring.sh).
const data = tempDir()
const cli = (args: string[], input?: string) => runMain(['--data', data, ...args], input === undefined ? {} : { input })
const CLAIMS = claimFlags({ ...SEED_CLAIMS, ipm: '10.0.0.0/8' })

describe('tokendesk sso-apps', () => {
  it('mint output verifies under `tokendesk jwt verify` with the app secret, login name under the fieldmap claim', async () => {
    const secretFile = join(data, 'sso.secret')
    writeFileSync(secretFile, 'datafor-sso-shared-secret-0123456789abcdef\n')
    const add = await cli([
      '--json',
      'sso-apps',
      'add',
      '--name',
      'ERP',
      '--secret-file',
      secretFile,
      '--fieldmap',
      'username=loginname,email=mail',
      '--token-name',
      'jwt',
      '--initrole',
      'SYS_Reader',
      '--initrole',
      'Analyst'
    ])
    expect(add.code, add.stderr).toBe(0)
    expect(add.json()).toMatchObject({
      name: 'ERP',
      tokenName: 'jwt',
      initroles: ['SYS_Reader', 'Analyst'],
      hasSecret: true
    })
    expect(add.stdout).not.toContain('datafor-sso-shared-secret')
    const mint = await cli([
      '--json',
      'sso-apps',
      'mint',
      'ERP',
      '--username',
      'alice',
      '--email',
      'a@example.com',
      '--base-url',
      'http://127.0.0.1:28080/datafor'
    ])
    expect(mint.code, mint.stderr).toBe(0)
    const m = mint.json()
    expect(m.loginUrl).toBe(`http://127.0.0.1:28080/datafor?jwt=${m.token}`)
    const verify = await cli(['--json', 'jwt', 'verify', m.token, '--alg', 'HS256', '--secret-file', secretFile])
    expect(verify.code, verify.stderr).toBe(0)
    expect(verify.json()).toMatchObject({ valid: true, payload: { loginname: 'alice', mail: 'a@example.com' } })
    const wrong = join(data, 'wrong.secret')
    writeFileSync(wrong, 'not-the-secret-not-the-secret-not-the-secret')
    const bad = await cli(['--json', 'jwt', 'verify', m.token, '--alg', 'HS256', '--secret-file', wrong])
    expect(bad.code).toBe(1)
    // reveal is the only way back to the secret
    expect((await cli(['sso-apps', 'reveal', 'ERP'])).stdout).toContain('datafor-sso-shared-secret-0123456789abcdef')
    expect((await cli(['sso-apps', 'mint', 'NOPE', '--username', 'x'])).stderr).toContain('error NOT_FOUND')
  })
})

describe('tokendesk tokens', () => {
  it('add, verbs with exit codes, list, check naming the failed check', async () => {
    const key = await cli(['--json', 'keys', 'generate', '--name', 'cli-hs', '--alg', 'HS256'])
    expect(key.code, key.stderr).toBe(0)
    const add = await cli(['--json', 'tokens', 'add', '--name', 'cli_token', '--key', 'cli-hs', ...CLAIMS])
    expect(add.code, add.stderr).toBe(0)
    const rec = add.json()
    expect(rec).toMatchObject({ name: 'cli_token', lifeState: 'enabled-offline', alg: 'HS256', keyName: 'cli-hs' })
    const id = rec.id as string

    const mint = await cli(['--json', 'tokens', 'mint', id])
    expect(mint.code, mint.stderr).toBe(0)
    const jwt = mint.json().token as string
    const offline = await cli(['--json', 'tokens', 'check', jwt, '--ip', '10.1.1.1'])
    expect(offline.code).toBe(1)
    expect(offline.json()).toMatchObject({ valid: false, failed: 'published' })
    expect(offline.stderr).toContain('the published check failed')

    expect((await cli(['tokens', 'pub', id])).code).toBe(0)
    const again = await cli(['--json', 'tokens', 'pub', id])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/^error INVALID_STATE: /m)
    expect(again.json()).toMatchObject({ error: { code: 'INVALID_STATE' } })
    expect((await cli(['tokens', 'dis', id, '--if-version', '1'])).stderr).toContain('error CONFLICT')

    const ok = await cli(['--json', 'tokens', 'check', jwt, '--ip', '10.1.1.1'])
    expect(ok.code, ok.stdout).toBe(0)
    expect(ok.json()).toMatchObject({ valid: true, id })
    const ip = await cli(['--json', 'tokens', 'check', jwt, '--ip', '192.168.1.1'])
    expect(ip.code).toBe(1)
    expect(ip.json().failed).toBe('ip')
    expect((await cli(['tokens', 'check', '-', '--ip', '10.1.1.1'], jwt)).code).toBe(0)

    expect((await cli(['tokens', 'get', 'Zz9Zz9Zz'])).stderr).toContain('error NOT_FOUND')
    const bad = await cli(['--json', 'tokens', 'add', '--name', '1bad', ...CLAIMS])
    expect(bad.code).toBe(1)
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION' })
    expect((await cli(['tokens', 'list', '--state', 'frozen'])).code).toBe(2)
    expect((await cli(['tokens', 'add', '--name', 'no_claims'])).code).toBe(2)

    const list = await cli(['--json', 'tokens', 'list', '--online', '--search', 'cli_tok'])
    expect(list.json().items.map((r: { id: string }) => r.id)).toEqual([id])
    // An expiry window: --expiring-after now leaves out what has expired, --expiring-before what comes later.
    const inDays = (d: number) => new Date(Date.now() + d * 86400_000).toISOString()
    expect((await cli(['tokens', 'set', id, '--expire', inDays(2)])).code).toBe(0)
    const ids = async (args: string[]) =>
      (await cli(['--json', 'tokens', 'list', ...args])).json().items.map((r: { id: string }) => r.id)
    expect(await ids(['--expiring-after', 'now', '--expiring-before', inDays(7)])).toEqual([id])
    expect(await ids(['--expiring-after', inDays(3)])).toEqual([])
    expect(await ids(['--expiring-before', inDays(1)])).toEqual([])
    expect((await cli(['tokens', 'list', '--expiring-after', 'soon'])).code).toBe(2)
    expect((await cli(['--json', 'tokens', 'dol', id])).json().record.lifeState).toBe('bin')
    expect((await cli(['--json', 'tokens', 'list', '--bin'])).json().items.map((r: { id: string }) => r.id)).toEqual([
      id
    ])
    expect((await cli(['--json', 'tokens', 'counts'])).json()).toMatchObject({ bin: 1, live: 0 })
    expect((await cli(['tokens', 'rcc', id])).code).toBe(0)
    expect((await cli(['tokens', 'del', id])).code).toBe(0)
    expect((await cli(['tokens', 'states'])).stdout).toContain('| bin |')
  })

  it('seed, export and import through the CLI', async () => {
    expect((await cli(['tokens', 'seed', '--count', '500', '--seed', '5'])).code).toBe(0)
    const file = join(data, 'out.jsonl')
    const ex = await cli(['--json', 'tokens', 'export', file])
    expect(ex.code, ex.stderr).toBe(0)
    expect(ex.json().counts.tokens).toBeGreaterThanOrEqual(500)
    expect((await cli(['tokens', 'export', file])).stderr).toContain('error IO')
    const other = tempDir()
    const im = await runMain(['--data', other, '--json', 'tokens', 'import', file, '--batch-size', '100'])
    expect(im.code, im.stderr).toBe(0)
    expect(im.json()).toMatchObject({ imported: { tokens: ex.json().counts.tokens } })
    expect(readFileSync(file, 'utf8').split('\n')[0]).toContain('tokendesk.store')

    // count: list's filters, counted (on the count worker) up to a cap; the same number as walking list's pages.
    const walk = async (args: string[]) => {
      let n = 0
      for (let after: string | null = null; ;) {
        const p = (
          await cli(['--json', 'tokens', 'list', ...args, '--limit', '500', ...(after ? ['--after', after] : [])])
        ).json()
        n += p.items.length
        if (!(after = p.nextCursor)) return n
      }
    }
    for (const args of [
      ['--state', 'disabled'],
      ['--creator', 'alice'],
      ['--search', 'gate'],
      ['--bin'],
      ['--expiring-after', 'now', '--online']
    ]) {
      const n = await walk(args)
      expect(n, args.join(' ')).toBeGreaterThan(0)
      expect((await cli(['--json', 'tokens', 'count', ...args])).json(), args.join(' ')).toEqual({
        count: n,
        capped: false
      })
    }
    const live = (await cli(['--json', 'tokens', 'counts'])).json().live
    expect((await cli(['--json', 'tokens', 'count', '--cap', '100'])).json()).toEqual({ count: 100, capped: true })
    expect((await cli(['tokens', 'count', '--cap', '100'])).stdout.trim()).toBe('100+ tokens match')
    expect((await cli(['tokens', 'count'])).stdout.trim()).toBe(`${live.toLocaleString('en')} tokens match`)
    const one = (await cli(['--json', 'tokens', 'list', '--limit', '1'])).json().items[0].name
    expect(await walk(['--search', one])).toBe(1)
    expect((await cli(['tokens', 'count', '--search', one])).stdout.trim()).toBe('1 token matches')
    const bad = await cli(['tokens', 'count', '--cap', '0'])
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('error VALIDATION: cap')])
  })
})

describe('tokendesk access-tokens', () => {
  it('add warns about values Fess mangles; value masked; reveal prints it', async () => {
    const add = await cli([
      '--json',
      'access-tokens',
      'add',
      '--name',
      'crawler',
      '--permission',
      '{role}admin-api',
      '--permission',
      'Robert'
    ])
    expect(add.code, add.stderr).toBe(0)
    const r = add.json()
    expect(r.warnings[0]).toContain('{role}obert')
    const human = await cli(['access-tokens', 'add', '--name', 'crawler2', '--permission', 'Dave'])
    expect(human.stderr).toContain('warning:')
    const reveal = await cli(['--json', 'access-tokens', 'reveal', r.id])
    expect(reveal.json().token).toMatch(/^[A-Za-z0-9]{60}$/)
    expect(r.tokenMasked.endsWith(reveal.json().token.slice(-4))).toBe(true)
    expect((await cli(['access-tokens', 'update', r.id, '--if-version', '9', '--name', 'x'])).stderr).toContain(
      'error CONFLICT'
    )
    expect((await cli(['--json', 'access-tokens', 'update', r.id, '--clear-permissions'])).json().permissions).toEqual(
      []
    )
    expect((await cli(['access-tokens', 'delete', r.id])).code).toBe(0)
    expect((await cli(['access-tokens', 'get', r.id])).stderr).toContain('error NOT_FOUND')
  })
})

// Any raw C0 control but tab and newline, DEL or C1 control.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/

describe('human output escapes control characters', () => {
  it('a name and brief carrying terminal escapes print visibly escaped; --json keeps the value', async () => {
    const add = await cli(['--json', 'tokens', 'add', '--name', 'esc_token', '--brief', 'plain', ...CLAIMS])
    expect(add.code, add.stderr).toBe(0)
    const id = add.json().id as string
    // Input validation refuses control characters, so the record is planted in the store directly.
    const db = new Database(join(data, DB_FILE))
    db.prepare('UPDATE tokens SET name = ?, brief = ? WHERE id = ?').run(
      'esc\x1b[2J\x1b]0;pwned\x07',
      'csi\u009b31m del\x7f',
      id
    )
    db.close()
    for (const args of [
      ['tokens', 'get', id],
      ['tokens', 'list', '--search', 'esc']
    ]) {
      const r = await cli(args)
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).not.toMatch(RAW_CONTROL)
      expect(r.stdout).toContain('esc\\x1b[2J\\x1b]0;pwned\\x07')
      if (args[1] === 'get') expect(r.stdout).toContain('csi\\u009b31m del\\x7f')
    }
    const json = await cli(['--json', 'tokens', 'get', id])
    expect(json.stdout).not.toMatch(/[\x7f-\x9f]/)
    expect(json.json()).toMatchObject({ name: 'esc\x1b[2J\x1b]0;pwned\x07', brief: 'csi\u009b31m del\x7f' })
    const missing = await cli(['tokens', 'get', 'a\x1b[2Jb'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).not.toMatch(RAW_CONTROL)
  })
})
