import { afterAll, describe, expect, it } from 'vitest'
import { makeCore } from '../helpers/core'

// A renew of a local access token whose stored expiry is not a real date, or to "never": coded answers, not INTERNAL.
describe('renew of a local access token', () => {
  const core = makeCore()
  afterAll(() => core.cleanup())

  it('refuses an expiry that has the shape but is no calendar date, at add and at update', async () => {
    for (const expires of ['2026-13-45T99:00:00', '2026-02-30T10:00:00', '2026-12-31T24:00:00']) {
      const e = await core.callError('accessTokens:add', {
        name: `bad ${expires}`,
        permissions: ['{user}bob'],
        expires
      })
      expect(e.code).toBe('VALIDATION')
    }
  })

  it('renews to never and back, and answers for a row whose stored expiry is unreadable', async () => {
    const record = await core.call('accessTokens:add', {
      name: 'renew-null',
      permissions: ['{user}bob'],
      expires: '2027-01-01T00:00:00'
    })
    const never = await core.call('inventory:renew', { kind: 'access-token', id: record.id, expiresAt: null })
    expect(never).toMatchObject({ target: 'local', before: '2027-01-01T00:00:00.000Z', after: null })
    const back = await core.call('inventory:renew', {
      kind: 'access-token',
      id: record.id,
      expiresAt: '2027-06-30T12:00:00Z'
    })
    expect(back).toMatchObject({ before: null, after: '2027-06-30T12:00:00.000Z' })
    // A store written before the calendar check: the bad value reads as "unknown", the renew still goes through.
    core.db.prepare('UPDATE access_tokens SET expires = ? WHERE id = ?').run('2026-13-45T99:00:00', record.id)
    const fixed = await core.call('inventory:renew', {
      kind: 'access-token',
      id: record.id,
      expiresAt: '2028-01-01T00:00:00Z'
    })
    expect(fixed).toMatchObject({ before: null, after: '2028-01-01T00:00:00.000Z' })
  })
})
