import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli'
import { tempDir } from '../helpers/core'

// Runs the built CLI (out/main/cli.js): `npm test` builds first; by hand: `npx electron-vite build`.
const dir = tempDir('tokendesk-jwt-cli-')
const data = ['--data', join(dir, 'data')]
const secretFile = join(dir, 'secret')
const weakFile = join(dir, 'weak')
writeFileSync(secretFile, 'a-strong-enough-secret-of-32-byte\n')
writeFileSync(weakFile, 'abcd')

const td = (args: string[], input?: string, env?: NodeJS.ProcessEnv) => runCli([...data, ...args], { input, env: { ...process.env, ...env } })

describe('tokendesk jwt (CLI)', () => {
  let token = ''
  it('sign prints the compact token', () => {
    const r = td(['jwt', 'sign', '--alg', 'HS256', '--secret-file', secretFile, '--claims', '{"role":"admin"}', '--expires-in', '1h', '--aud', 'a', '--aud', 'b', '--iss', 'me', '--header', '{"kid":"k1"}'])
    expect(r.code, r.stderr).toBe(0)
    token = r.stdout.trim()
    expect(token.split('.')).toHaveLength(3)
  })
  it('verify --json: exit 0 and {"valid":true,"header","payload"}', () => {
    const r = td(['--json', 'jwt', 'verify', '--alg', 'HS256,HS384', '--secret-file', secretFile, '--aud', 'b', '--iss', 'me', token])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json()).toMatchObject({ valid: true, header: { alg: 'HS256', kid: 'k1' }, payload: { role: 'admin', aud: ['a', 'b'] } })
  })
  it('verify failure: exit 1, coded error on stderr, {"valid":false,"error":{code,message}} with --json', () => {
    const r = td(['--json', 'jwt', 'verify', '--alg', 'HS256', '--secret-file', secretFile, '--aud', 'zzz', token])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^error JWT_AUDIENCE: /m)
    expect(r.json()).toEqual({ valid: false, error: { code: 'JWT_AUDIENCE', message: expect.any(String) } })
    const wrongAlg = td(['jwt', 'verify', '--alg', 'RS256', '--secret-file', secretFile, token])
    expect(wrongAlg.code).toBe(1)
    expect(wrongAlg.stderr).toMatch(/JWT_ALG_NOT_ALLOWED/)
  })
  it('reads the token from stdin (-) and the secret from an env var', () => {
    const r = td(['jwt', 'verify', '--alg', 'HS256', '--secret-env', 'TD_SECRET', '-'], `${token}\n`, { TD_SECRET: 'a-strong-enough-secret-of-32-byte' })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^valid \(HS256\)/)
  })
  it('reads the secret from stdin with an encoding', () => {
    const hex = Buffer.from('a-strong-enough-secret-of-32-byte').toString('hex')
    const r = td(['jwt', 'sign', '--alg', 'HS256', '--secret-stdin', '--secret-encoding', 'hex', '--jti', 'x'], hex)
    const same = td(['jwt', 'sign', '--alg', 'HS256', '--secret-file', secretFile, '--jti', 'x'])
    expect(r.code, r.stderr).toBe(0)
    // Same key and claims (iat may tick over a second boundary, so compare the decoded key use by verifying).
    const v = td(['jwt', 'verify', '--alg', 'HS256', '--secret-file', secretFile, r.stdout.trim()])
    expect(v.code, v.stderr).toBe(0)
    expect(same.code).toBe(0)
  })
  it('never takes a secret as a plain argument (usage error, exit 2)', () => {
    expect(td(['jwt', 'sign', '--alg', 'HS256', 'my-secret']).code).toBe(2)
    expect(td(['jwt', 'sign', '--alg', 'HS256', '--secret', 'my-secret']).code).toBe(2)
    expect(td(['jwt', 'sign', '--alg', 'none', '--secret-file', secretFile]).code).toBe(2)
  })
  it('no key at all is a coded failure', () => {
    const r = td(['jwt', 'sign', '--alg', 'HS256'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/error VALIDATION: Give a key/)
  })
  it("verify with a weak key (jwt.io's example): exit 0, a JWT_WEAK_KEY warning on stderr, warnings in --json", () => {
    const jwtIoSecret = join(dir, 'jwtio')
    writeFileSync(jwtIoSecret, 'your-256-bit-secret')
    const t =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'
    const r = td(['jwt', 'verify', '--alg', 'HS256', '--secret-file', jwtIoSecret, t])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/^warning: JWT_WEAK_KEY: .*RFC 7518 §3\.2/m)
    expect(r.stdout).toMatch(/^valid \(HS256\)/)
    const j = td(['--json', 'jwt', 'verify', '--alg', 'HS256', '--secret-file', jwtIoSecret, t])
    expect(j.json()).toMatchObject({ valid: true, warnings: [{ code: 'JWT_WEAK_KEY' }] })
    expect(td(['jwt', 'verify', '--alg', 'HS256', '--secret-file', secretFile, t]).code).toBe(1)
  })
  it('weak key: refused without --allow-weak-key, warned with it', () => {
    const r = td(['jwt', 'sign', '--alg', 'HS256', '--secret-file', weakFile])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/error JWT_WEAK_KEY/)
    const ok = td(['jwt', 'sign', '--alg', 'HS256', '--secret-file', weakFile, '--allow-weak-key'])
    expect(ok.code).toBe(0)
    expect(ok.stderr).toMatch(/^warning: weak key/m)
  })
  it('decode says it did not verify; explain names the claims', () => {
    const d = td(['jwt', 'decode', token])
    expect(d.code).toBe(0)
    expect(d.stderr).toMatch(/WITHOUT verifying/)
    expect(JSON.parse(d.stdout).payload.role).toBe('admin')
    const e = td(['jwt', 'explain', '--datafor-fieldmap', '{"username":"role"}', token])
    expect(e.code).toBe(0)
    expect(e.stdout).toMatch(/^NOT VERIFIED/)
    expect(e.stdout).toMatch(/expires in 1 h/)
    expect(e.stdout).toMatch(/Datafor will log in the user "admin"/)
    const j = td(['--json', 'jwt', 'explain', token]).json()
    expect(j.verified).toBe(false)
  })
  it('datafor prints the token and the login URL', () => {
    const r = td(['jwt', 'datafor', '--alg', 'HS256', '--expire', '86400', '--username', 'admin', '--secret-file', weakFile, '--allow-weak-key', '--base-url', 'http://h:28080/datafor'])
    expect(r.code, r.stderr).toBe(0)
    const [tok, url] = r.stdout.trim().split('\n')
    expect(url).toBe(`http://h:28080/datafor?token=${tok}`)
  })
  it('mint writes the file and reports', () => {
    const out = join(dir, 'm.jsonl')
    const r = td(['jwt', 'mint', '--count', '3000', '--out', out, '--alg', 'HS256', '--secret-file', secretFile, '--workers', '2'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/minted 3000 tokens/)
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(3000)
    expect(td(['jwt', 'mint', '--count', '3', '--out', out, '--alg', 'HS256', '--secret-file', secretFile]).stderr).toMatch(/CONFLICT/)
  })
})

// keys commands need the keychain: inside scripts/with-keyring.sh (npm test) there is one.
describe.runIf(Boolean(process.env.DBUS_SESSION_BUS_ADDRESS))('tokendesk keys (CLI, real keychain)', () => {
  it('generate, list, export, sign with --key, verify with the exported JWK via --key-file, delete', () => {
    const name = `cli-${process.pid}`
    expect(td(['keys', 'generate', '--name', name, '--alg', 'ES256']).code).toBe(0)
    expect(td(['keys', 'list']).stdout).toContain(name)
    const jwkFile = join(dir, 'pub.jwk')
    const exp = td(['keys', 'export', name])
    writeFileSync(jwkFile, exp.stdout)
    const t = td(['jwt', 'sign', '--alg', 'ES256', '--key', name]).stdout.trim()
    expect(td(['jwt', 'verify', '--alg', 'ES256', '--key-file', jwkFile, t]).code).toBe(0)
    const jwks = join(dir, 'all.jwks')
    writeFileSync(jwks, td(['keys', 'export', '--format', 'jwks']).stdout)
    const kid = JSON.parse(exp.stdout).kid as string
    expect(td(['jwt', 'verify', '--alg', 'ES256', '--key-file', jwks, '--kid', kid, t]).code).toBe(0)
    const imp = td(['keys', 'import', '--name', `${name}-s`, '--secret-file', secretFile])
    expect(imp.code, imp.stderr).toBe(0)
    expect(td(['keys', 'delete', name]).code).toBe(0)
    expect(td(['keys', 'delete', `${name}-s`]).code).toBe(0)
    expect(td(['jwt', 'sign', '--alg', 'ES256', '--key', name]).stderr).toMatch(/NOT_FOUND/)
  })
})
