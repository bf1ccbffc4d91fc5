import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startXduaEmulator, type XduaEmulator } from '../emulators/xdua'
import { makeCore, type TestCore } from '../helpers/core'
import { refusalCode, XDUA_REFUSALS } from '../../src/main/remote/xdua'
import { SEED_CLAIMS } from '../helpers/claims'

const CLAIMS = SEED_CLAIMS

// xdua refusals map by their exact reason: a refused transition is INVALID_STATE, never AUTH; an unknown one is SERVER.
describe('xdua refusal mapping (table)', () => {
  it.each([
    ['TokenNotDeleted', 200, 'INVALID_STATE'],
    ['TokenDeleted', 200, 'INVALID_STATE'],
    ['TokenAlreadyDeleted', 200, 'INVALID_STATE'],
    ['InvalidState', 200, 'INVALID_STATE'],
    ['InvalidParameter', 200, 'VALIDATION'],
    ['PermissionDenied', 200, 'FORBIDDEN'],
    ['ResourceNotFound', 200, 'NOT_FOUND'],
    ['CareAlreadyExists', 200, 'CONFLICT'],
    // Words that once steered a guess: none of them makes an unknown reason anything but SERVER.
    ['TokenExpiredSoon', 200, 'SERVER'],
    ['LoginRequiredForState', 200, 'SERVER'],
    ['AuthorityChanged', 200, 'SERVER'],
    ['tokenNotDeleted', 200, 'SERVER'],
    ['', 200, 'SERVER'],
    ['constructor', 200, 'SERVER'],
    ['__proto__', 200, 'SERVER'],
    // AUTH and FORBIDDEN come from the HTTP status, whatever the reason says.
    ['TokenNotDeleted', 401, 'AUTH'],
    ['Whatever', 403, 'FORBIDDEN'],
    ['Whatever', 404, 'NOT_FOUND'],
    ['Whatever', 503, 'SERVER'],
    ['Whatever', 400, 'VALIDATION']
  ] as const)('%s (HTTP %s) is %s', (reason, status, code) => {
    expect(refusalCode(reason, status)).toBe(code)
  })

  it('no known reason maps to AUTH', () => {
    expect(Object.values(XDUA_REFUSALS)).not.toContain('AUTH')
  })
})

describe('xdua refusals from the emulator', () => {
  let x: XduaEmulator
  let core: TestCore
  const call = (verb: string, extra: Record<string, unknown> = {}) =>
    core.call('remote:xdua', { conn: 'xd', verb, ...extra } as never)
  const refused = (verb: string, extra: Record<string, unknown> = {}) =>
    core.callError('remote:xdua', { conn: 'xd', verb, ...extra })
  beforeAll(async () => {
    x = await startXduaEmulator({ namedRefusals: true })
    core = makeCore()
    await core.call('connections:add', {
      name: 'xd',
      kind: 'xdua',
      baseUrl: x.url,
      authMethod: 'jwt',
      credential: x.token
    })
  })
  afterAll(async () => {
    core.cleanup()
    await x.close()
  })

  it('RCC of a live token is INVALID_STATE (TokenNotDeleted), with the server reason and message', async () => {
    const id = (await call('ADD', { fields: CLAIMS })).id!
    const e = await refused('RCC', { id })
    expect(e).toMatchObject({
      code: 'INVALID_STATE',
      details: { reason: 'TokenNotDeleted', serverMessage: 'token is not deleted' }
    })
    expect(e.message).toContain('TokenNotDeleted')
    // The same JWT still works for every other call: it was never an auth failure.
    expect((await call('GET', { id })).record!.id).toBe(id)
  })

  it('PUB and SET of a recycled token are INVALID_STATE (TokenDeleted); DOL again is TokenAlreadyDeleted', async () => {
    const id = (await call('ADD', { fields: CLAIMS })).id!
    await call('DOL', { id })
    expect(await refused('PUB', { id })).toMatchObject({ code: 'INVALID_STATE', details: { reason: 'TokenDeleted' } })
    expect(await refused('SET', { id, fields: { brief: 'x' } })).toMatchObject({
      code: 'INVALID_STATE',
      details: { reason: 'TokenDeleted' }
    })
    expect(await refused('DOL', { id })).toMatchObject({
      code: 'INVALID_STATE',
      details: { reason: 'TokenAlreadyDeleted' }
    })
    await call('RCC', { id })
    expect((await call('PUB', { id })).id).toBe(id)
  })

  it('an unknown refusal is SERVER with the server reason and message', async () => {
    const body = JSON.stringify({
      status: 200,
      apid: 'A1',
      apis: 'QriToken',
      error: 300123,
      reason: 'TokenQuotaExhausted',
      message: '令牌配额已用完',
      result: null
    })
    x.setFault({ kind: 'answer', times: 1, answer: { status: 200, body } })
    const e = await refused('QRI')
    expect(e).toMatchObject({
      code: 'SERVER',
      details: { error: 300123, reason: 'TokenQuotaExhausted', serverMessage: '令牌配额已用完' }
    })
    expect(e.message).toContain('TokenQuotaExhausted (300123): 令牌配额已用完')
  })

  it('an envelope refusal under HTTP 401 is AUTH, under HTTP 200 it is not', async () => {
    const env = (status: number) => ({
      status,
      body: JSON.stringify({ status, error: 100401, reason: 'TokenInvalid', message: 'token invalid', result: null })
    })
    x.setFault({ kind: 'answer', times: 1, answer: env(401) })
    expect((await refused('QRI')).code).toBe('AUTH')
    x.setFault({ kind: 'answer', times: 1, answer: env(200) })
    expect((await refused('QRI')).code).toBe('SERVER')
  })
})
