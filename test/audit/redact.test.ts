import { afterEach, describe, expect, it } from 'vitest'
import { redactDetails, redactText, urlSecret } from '../../src/main/audit/redact'
import { makeCore, type TestCore } from '../helpers/core'

describe('redactText', () => {
  it('masks URL userinfo, whatever the scheme form', () => {
    expect(redactText('https://admin:S3cret@host/x')).toBe('https://[redacted]@host/x')
    expect(redactText('see HTTPS://admin:S3cret@host and more')).not.toContain('S3cret')
    expect(redactText('https:admin:S3cret@host')).not.toContain('S3cret')
    expect(redactText('https:\\\\admin:S3cret@host')).not.toContain('S3cret')
    expect(redactText('ftp://u:p%40ss@h:21/')).toBe('ftp://[redacted]@h:21/')
    expect(redactText('https://user:pa@ss@host/')).toBe('https://[redacted]@host/')
  })

  it('masks every listed secret parameter, case-insensitively and %-decoded, and keeps the others', () => {
    const names = [
      'token',
      'apikey',
      'api_key',
      'access_token',
      'password',
      'passwd',
      'secret',
      'client_secret',
      'key',
      'sig',
      'signature',
      'auth',
      'authorization'
    ]
    for (const n of names)
      for (const form of [n, n.toUpperCase(), n[0].toUpperCase() + n.slice(1)]) {
        const out = redactText(`https://h/p?page=2&${form}=Zq9Secret&x=1#f`)
        expect(out, form).toBe(`https://h/p?page=2&${form}=[redacted]&x=1#f`)
      }
    expect(redactText('https://h/?to%6Ben=Zq9Secret')).not.toContain('Zq9Secret')
    expect(redactText('https://h/#access_token=Zq9Secret&state=1')).toBe('https://h/#access_token=[redacted]&state=1')
    expect(redactText('password=Zq9Secret')).toBe('password=[redacted]')
    expect(redactText('failed: token=Zq9Secret; retry')).not.toContain('Zq9Secret')
    expect(redactText('https://h/?page=2&monkey=banana')).toBe('https://h/?page=2&monkey=banana')
  })

  it('masks bearer credentials, JWTs and PEM private keys; leaves plain text alone', () => {
    expect(redactText('Authorization: Bearer FESSTOK-abcdefgh1234')).toBe('Authorization: Bearer [redacted]')
    expect(redactText('got eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl here')).toBe('got [redacted] here')
    expect(redactText('-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----')).toBe('[redacted private key]')
    expect(redactText('Token t1 of shop ERP moved to state 2')).toBe('Token t1 of shop ERP moved to state 2')
  })
})

describe('redactDetails', () => {
  it('redacts strings at any depth, in arrays too, before cutting them', () => {
    const out = redactDetails({
      name: 'n',
      draft: { conn: { baseUrl: 'https://admin:S3cret@host' }, urls: ['https://h/?apikey=S3cret', 1] },
      long: `${'x'.repeat(200)} https://admin:S3cret@host`,
      cut: `https://admin:${'S3cret'.repeat(30)}@host`,
      credential: 'S3cret'
    })
    expect(JSON.stringify(out)).not.toContain('S3cret')
    expect(out).toMatchObject({
      name: 'n',
      draft: { conn: { baseUrl: 'https://[redacted]@host' }, urls: ['https://h/?apikey=[redacted]', 1] },
      credential: '[redacted]'
    })
  })
})

describe('redactDetails: which field names are secret-bearing', () => {
  it('keeps names, ids, sizes and flags of secret things; drops the secrets themselves', () => {
    const SECRET = 'Zq9S3cretValue'
    const out = redactDetails({
      tokenName: 'nightly_build',
      keyName: 'signing-key',
      tokenId: 't1',
      secretBytes: 64,
      authMethod: 'token',
      allowWeakKey: true,
      clearCredential: false,
      secret: SECRET,
      password: SECRET,
      credential: SECRET,
      apiKey: SECRET,
      accessToken: SECRET,
      initpwd: SECRET,
      signKey: SECRET,
      privateKeyPem: SECRET,
      clientSecrets: [SECRET],
      source: { jwk: { kty: 'oct', k: SECRET } }
    })
    expect(JSON.stringify(out)).not.toContain(SECRET)
    expect(out).toMatchObject({
      tokenName: 'nightly_build',
      keyName: 'signing-key',
      tokenId: 't1',
      secretBytes: 64,
      authMethod: 'token',
      allowWeakKey: true,
      clearCredential: false
    })
    for (const k of [
      'secret',
      'password',
      'credential',
      'apiKey',
      'accessToken',
      'initpwd',
      'signKey',
      'privateKeyPem',
      'clientSecrets'
    ])
      expect(out?.[k], k).toBe('[redacted]')
    expect(out?.source).toEqual({ jwk: '[redacted]' })
  })
})

describe('urlSecret', () => {
  it('names what is wrong without echoing the secret', () => {
    for (const u of [
      'https://admin:S3cret@host',
      'https://host/?token=S3cret',
      'https://host/?TOKEN=S3cret',
      'https://host/?to%6Ben=S3cret',
      'https://host/#access_token=S3cret'
    ]) {
      const why = urlSecret(new URL(u))
      expect(why, u).toBeTruthy()
      expect(why).not.toContain('S3cret')
    }
    expect(urlSecret(new URL('https://host/fess/?lang=en'))).toBeNull()
  })
})

describe('refused URLs in the audit log', () => {
  let core: TestCore
  afterEach(() => core?.cleanup())

  it('a base URL with userinfo or a secret parameter is refused with VALIDATION and leaves no trace in the audit rows', async () => {
    core = makeCore()
    const bad = [
      'https://admin:S3cret@host',
      'https://host/?token=Qsekrit',
      'https://host/?Token=Qsekrit',
      'https://host/fess?api_key=Qsekrit'
    ]
    for (const baseUrl of bad) {
      const e = await core.callError('connections:add', { name: 'p1', kind: 'fess', baseUrl, authMethod: 'token' })
      expect(e.code, baseUrl).toBe('VALIDATION')
      expect(JSON.stringify(e)).not.toMatch(/S3cret|Qsekrit/)
    }
    await core.call('connections:add', { name: 'p2', kind: 'fess', baseUrl: 'https://host', authMethod: 'token' })
    for (const baseUrl of bad)
      expect((await core.callError('connections:update', { id: 'p2', baseUrl })).code, baseUrl).toBe('VALIDATION')
    const rows = core.db.prepare('SELECT * FROM audit').all() as Array<Record<string, unknown>>
    expect(rows.filter((r) => r.outcome === 'VALIDATION')).toHaveLength(bad.length * 2)
    const text = JSON.stringify(rows)
    expect(text).not.toContain('S3cret')
    expect(text).not.toContain('Qsekrit')
  })
})
