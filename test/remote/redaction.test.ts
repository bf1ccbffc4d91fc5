import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'
import { startDataforEmulator, type DataforEmulator } from '../emulators/datafor'
import { startXduaEmulator, type XduaEmulator } from '../emulators/xdua'
import { makeCore, type TestCore } from '../helpers/core'
import { Redactor } from '../../src/main/remote/http'
import type { AppErrorShape } from '../../src/shared/errors'

/** Everything a user could see of an error: its message, its details, its JSON (what --json and RPC carry). */
function visible(e: AppErrorShape): string {
  return [e.message, JSON.stringify(e.details ?? {}), JSON.stringify(e)].join('\n')
}

function expectMasked(e: AppErrorShape, ...secrets: string[]) {
  const text = visible(e)
  for (const s of secrets) expect(text).not.toContain(s)
  expect(text).toContain('[redacted]')
}

// Servers that echo the credential they were sent: the error that reaches the user carries none of it.
describe('remote errors never carry the credential sent', () => {
  let fess: FessEmulator
  let df: DataforEmulator
  let x: XduaEmulator
  let core: TestCore
  beforeAll(async () => {
    fess = await startFessEmulator({ echoCredential: true })
    df = await startDataforEmulator({ configs: 1, echoCredential: true })
    x = await startXduaEmulator({ echoCredential: true })
    core = makeCore()
  })
  afterAll(async () => {
    core.cleanup()
    await Promise.all([fess.close(), df.close(), x.close()])
  })

  it('Fess: "Invalid access token: Bearer FESSTOK-..." is masked (token with and without Bearer)', async () => {
    const token = `FESSTOK-${'k'.repeat(52)}`
    const e = await core.callError('remote:fessList', {
      adhoc: { name: 'f', kind: 'fess', baseUrl: fess.url, authMethod: 'token', credential: token }
    })
    expect(e.code).toBe('AUTH')
    expect(e.message).toContain('Invalid access token: [redacted]')
    expectMasked(e, token, `Bearer ${token}`)
  })

  it('Datafor: a session login that echoes the password, a Bearer JWT echoed by a token endpoint', async () => {
    const password = 'Pw-echoed-0451'
    const session = {
      name: 'd',
      kind: 'datafor' as const,
      baseUrl: df.url,
      authMethod: 'session' as const,
      username: 'admin',
      credential: password
    }
    const e1 = await core.callError('remote:dataforList', { adhoc: session })
    expect(e1.code).toBe('AUTH')
    expect(e1.message).toContain('wrong password')
    expectMasked(e1, password)
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJsb2dpbm5hbWUiOiJub2JvZHkifQ.c2lnbmF0dXJlLW9mLXRoZS1ub2JvZHktdG9rZW4'
    const bearer = { ...session, authMethod: 'bearer' as const, username: undefined, credential: jwt }
    const e2 = await core.callError('remote:dataforGet', { adhoc: bearer, name: 'ERP1' })
    expect(e2.code).toBe('AUTH')
    expectMasked(e2, jwt, jwt.split('.')[2])
  })

  it('xdua: a gateway that echoes the Authorization header, raw or with a Bearer prefix', async () => {
    const jwt = `${x.token.slice(0, -4)}AAAA`
    for (const credential of [jwt, `Bearer ${jwt}`]) {
      const e = await core.callError('remote:xdua', {
        adhoc: { name: 'x', kind: 'xdua', baseUrl: x.url, authMethod: 'jwt', credential },
        verb: 'QRI'
      })
      expect(e.code).toBe('AUTH')
      expect(e.message).toContain('Invalid Token: [redacted]')
      expectMasked(e, jwt, jwt.split('.')[1], jwt.split('.')[2])
    }
  })

  it('xdua: an envelope refusal that echoes the JWT in reason and message is masked in message and details', async () => {
    const body = JSON.stringify({
      status: 200,
      error: 100401,
      reason: `BadToken ${x.token}`,
      message: `token ${x.token} refused`,
      result: null
    })
    x.setFault({ kind: 'answer', times: 1, answer: { status: 200, body } })
    const e = await core.callError('remote:xdua', {
      adhoc: { name: 'x', kind: 'xdua', baseUrl: x.url, authMethod: 'jwt', credential: x.token },
      verb: 'QRI'
    })
    expectMasked(e, x.token, x.token.split('.')[2])
    expect(e.details).toMatchObject({ reason: 'BadToken [redacted]', serverMessage: 'token [redacted] refused' })
  })
})

describe('Redactor', () => {
  it('masks the value, its scheme-less form, Basic user:password, URL- and JSON-escaped forms', () => {
    const r = new Redactor()
    r.add('Bearer s3cr3t/"value"')
    r.add(`Basic ${Buffer.from('admin:pa ss').toString('base64')}`)
    const t = r.text(
      `a s3cr3t/"value" b ${encodeURIComponent('s3cr3t/"value"')} c s3cr3t/\\"value\\" d pa ss e ${encodeURIComponent('pa ss')}`
    )
    expect(t).toBe('a [redacted] b [redacted] c [redacted] d [redacted] e [redacted]')
    expect(r.value({ nested: ['pa ss', 1, null] })).toEqual({ nested: ['[redacted]', 1, null] })
  })
})
