import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, runMain } from '../helpers/cli'
import { tempDir } from '../helpers/core'

// Runs the CLI's main() in-process; the stdin case runs the built bin (out/main/cli.js, `npx electron-vite build`).
const dir = tempDir('tokendesk-jwt-cli-')
const data = ['--data', join(dir, 'data')]
const secretFile = join(dir, 'secret')
const weakFile = join(dir, 'weak')
writeFileSync(secretFile, 'a-strong-enough-secret-of-32-byte\n')
writeFileSync(weakFile, 'abcd')

const td = (args: string[], input?: string, env?: NodeJS.ProcessEnv) =>
  runMain([...data, ...args], { input, env: { ...process.env, ...env } })

describe('tokendesk jwt (CLI)', () => {
  let token = ''
  it('sign prints the compact token', async () => {
    const r = await td([
      'jwt',
      'sign',
      '--alg',
      'HS256',
      '--secret-file',
      secretFile,
      '--claims',
      '{"role":"admin"}',
      '--expires-in',
      '1h',
      '--aud',
      'a',
      '--aud',
      'b',
      '--iss',
      'me',
      '--header',
      '{"kid":"k1"}'
    ])
    expect(r.code, r.stderr).toBe(0)
    token = r.stdout.trim()
    expect(token.split('.')).toHaveLength(3)
  })
  it('verify --json: exit 0 and {"valid":true,"header","payload"}', async () => {
    const r = await td([
      '--json',
      'jwt',
      'verify',
      '--alg',
      'HS256,HS384',
      '--secret-file',
      secretFile,
      '--aud',
      'b',
      '--iss',
      'me',
      token
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json()).toMatchObject({
      valid: true,
      header: { alg: 'HS256', kid: 'k1' },
      payload: { role: 'admin', aud: ['a', 'b'] }
    })
  })
  it('verify failure: exit 1, coded error on stderr, {"valid":false,"error":{code,message}} with --json', async () => {
    const r = await td([
      '--json',
      'jwt',
      'verify',
      '--alg',
      'HS256',
      '--secret-file',
      secretFile,
      '--aud',
      'zzz',
      token
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^error JWT_AUDIENCE: /m)
    expect(r.json()).toEqual({ valid: false, error: { code: 'JWT_AUDIENCE', message: expect.any(String) } })
    const wrongAlg = await td(['jwt', 'verify', '--alg', 'RS256', '--secret-file', secretFile, token])
    expect(wrongAlg.code).toBe(1)
    expect(wrongAlg.stderr).toMatch(/JWT_ALG_NOT_ALLOWED/)
  })
  it('reads the token from stdin (-) and the secret from an env var', async () => {
    // The real bin, so the real stdin and environment.
    const r = runCli([...data, 'jwt', 'verify', '--alg', 'HS256', '--secret-env', 'TD_SECRET', '-'], {
      input: `${token}\n`,
      env: { ...process.env, TD_SECRET: 'a-strong-enough-secret-of-32-byte' }
    })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^valid \(HS256\)/)
  })
  it('reads the secret from stdin with an encoding', async () => {
    const hex = Buffer.from('a-strong-enough-secret-of-32-byte').toString('hex')
    const r = await td(
      ['jwt', 'sign', '--alg', 'HS256', '--secret-stdin', '--secret-encoding', 'hex', '--jti', 'x'],
      hex
    )
    const same = await td(['jwt', 'sign', '--alg', 'HS256', '--secret-file', secretFile, '--jti', 'x'])
    expect(r.code, r.stderr).toBe(0)
    // Same key and claims (iat may tick over a second boundary, so compare the decoded key use by verifying).
    const v = await td(['jwt', 'verify', '--alg', 'HS256', '--secret-file', secretFile, r.stdout.trim()])
    expect(v.code, v.stderr).toBe(0)
    expect(same.code).toBe(0)
  })
  it('never takes a secret as a plain argument (usage error, exit 2)', async () => {
    expect((await td(['jwt', 'sign', '--alg', 'HS256', 'my-secret'])).code).toBe(2)
    expect((await td(['jwt', 'sign', '--alg', 'HS256', '--secret', 'my-secret'])).code).toBe(2)
    expect((await td(['jwt', 'sign', '--alg', 'none', '--secret-file', secretFile])).code).toBe(2)
  })
  it('no key at all is a coded failure', async () => {
    const r = await td(['jwt', 'sign', '--alg', 'HS256'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/error VALIDATION: Give a key/)
  })
  it('weak key: refused without --allow-weak-key, warned with it', async () => {
    const r = await td(['jwt', 'sign', '--alg', 'HS256', '--secret-file', weakFile])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/error JWT_WEAK_KEY/)
    const ok = await td(['jwt', 'sign', '--alg', 'HS256', '--secret-file', weakFile, '--allow-weak-key'])
    expect(ok.code).toBe(0)
    expect(ok.stderr).toMatch(/^warning: weak key/m)
  })
  it('decode says it did not verify; explain names the claims', async () => {
    const d = await td(['jwt', 'decode', token])
    expect(d.code).toBe(0)
    expect(d.stderr).toMatch(/WITHOUT verifying/)
    expect(JSON.parse(d.stdout).payload.role).toBe('admin')
    const e = await td(['jwt', 'explain', '--datafor-fieldmap', '{"username":"role"}', token])
    expect(e.code).toBe(0)
    expect(e.stdout).toMatch(/^NOT VERIFIED/)
    expect(e.stdout).toMatch(/expires in 1 h/)
    expect(e.stdout).toMatch(/Datafor will log in the user "admin"/)
    const j = (await td(['--json', 'jwt', 'explain', token])).json()
    expect(j.verified).toBe(false)
  })
  it("verify with a weak key (jwt.io's example): exit 0, a JWT_WEAK_KEY warning on stderr, warnings in --json", async () => {
    const jwtIoSecret = join(dir, 'jwtio')
    writeFileSync(jwtIoSecret, 'your-256-bit-secret')
    const t =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'
    const r = await td(['jwt', 'verify', '--alg', 'HS256', '--secret-file', jwtIoSecret, t])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/^warning: JWT_WEAK_KEY: .*RFC 7518 §3\.2/m)
    expect(r.stdout).toMatch(/^valid \(HS256\)/)
    const j = await td(['--json', 'jwt', 'verify', '--alg', 'HS256', '--secret-file', jwtIoSecret, t])
    expect(j.json()).toMatchObject({ valid: true, warnings: [{ code: 'JWT_WEAK_KEY' }] })
    expect((await td(['jwt', 'verify', '--alg', 'HS256', '--secret-file', secretFile, t])).code).toBe(1)
  })
  it('datafor prints the token and the login URL', async () => {
    const r = await td([
      'jwt',
      'datafor',
      '--alg',
      'HS256',
      '--expire',
      '86400',
      '--username',
      'admin',
      '--secret-file',
      weakFile,
      '--allow-weak-key',
      '--base-url',
      'http://h:28080/datafor'
    ])
    expect(r.code, r.stderr).toBe(0)
    const [tok, url] = r.stdout.trim().split('\n')
    expect(url).toBe(`http://h:28080/datafor?token=${tok}`)
  })
  it('mint writes the file and reports', async () => {
    const out = join(dir, 'm.jsonl')
    const r = await td([
      'jwt',
      'mint',
      '--count',
      '3000',
      '--out',
      out,
      '--alg',
      'HS256',
      '--secret-file',
      secretFile,
      '--workers',
      '2'
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/minted 3000 tokens/)
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(3000)
    expect(
      (await td(['jwt', 'mint', '--count', '3', '--out', out, '--alg', 'HS256', '--secret-file', secretFile])).stderr
    ).toMatch(/CONFLICT/)
  })
})

// keys commands need the keychain: inside scripts/with-keyring.sh (npm test) there is one.
describe.runIf(Boolean(process.env.DBUS_SESSION_BUS_ADDRESS))('tokendesk keys (CLI, real keychain)', () => {
  it('generate, list, export, sign with --key, verify with the exported JWK via --key-file, delete', async () => {
    const name = `cli-${process.pid}`
    expect((await td(['keys', 'generate', '--name', name, '--alg', 'ES256'])).code).toBe(0)
    expect((await td(['keys', 'list'])).stdout).toContain(name)
    const jwkFile = join(dir, 'pub.jwk')
    const exp = await td(['keys', 'export', name])
    writeFileSync(jwkFile, exp.stdout)
    const t = (await td(['jwt', 'sign', '--alg', 'ES256', '--key', name])).stdout.trim()
    expect((await td(['jwt', 'verify', '--alg', 'ES256', '--key-file', jwkFile, t])).code).toBe(0)
    const jwks = join(dir, 'all.jwks')
    writeFileSync(jwks, (await td(['keys', 'export', '--format', 'jwks'])).stdout)
    const kid = JSON.parse(exp.stdout).kid as string
    expect((await td(['jwt', 'verify', '--alg', 'ES256', '--key-file', jwks, '--kid', kid, t])).code).toBe(0)
    const imp = await td(['keys', 'import', '--name', `${name}-s`, '--secret-file', secretFile])
    expect(imp.code, imp.stderr).toBe(0)
    expect((await td(['keys', 'delete', name])).code).toBe(0)
    expect((await td(['keys', 'delete', `${name}-s`])).code).toBe(0)
    expect((await td(['jwt', 'sign', '--alg', 'ES256', '--key', name])).stderr).toMatch(/NOT_FOUND/)
  })
})
