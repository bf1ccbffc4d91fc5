import { describe, expect, it } from 'vitest'
import { findDeepLink, parseDeepLink } from '../../src/main/shell/deeplink'
import { ShellEvent } from '../../src/shared/shell-events'

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl'

describe('deep links tokendesk:// (validated like any input)', () => {
  it('turns the three known forms into shell events', () => {
    expect(parseDeepLink('tokendesk://token/tok_123-A')).toEqual({ type: 'openToken', id: 'tok_123-A' })
    expect(parseDeepLink(`tokendesk://jwt/decode?token=${jwt}`)).toEqual({ type: 'decodeJwt', token: jwt })
    expect(parseDeepLink('tokendesk://open/audit')).toEqual({ type: 'navigate', screen: 'audit' })
    for (const e of [parseDeepLink('tokendesk://token/x'), parseDeepLink('tokendesk://open/keys')])
      expect(ShellEvent.safeParse(e).success).toBe(true)
  })

  it('drops everything else', () => {
    const bad = [
      'tokendesk://token/',
      'tokendesk://token/a/b',
      'tokendesk://token/..%2f..%2fetc',
      'tokendesk://token/%3Cscript%3E',
      `tokendesk://token/${'a'.repeat(65)}`,
      'tokendesk://token/abc?x=1',
      'tokendesk://user:pw@token/abc',
      'tokendesk://token:99/abc',
      'tokendesk://jwt/decode?token=not-a-jwt',
      `tokendesk://jwt/decode?token=${jwt}&alg=none`,
      `tokendesk://jwt/sign?token=${jwt}`,
      `tokendesk://jwt/decode?token=${'a'.repeat(20_000)}.b.c`,
      'tokendesk://open/admin',
      'tokendesk://open/__proto__',
      'tokendesk://exec/rm',
      'https://token/abc',
      'javascript:alert(1)',
      'not a url',
      '',
      undefined,
      42
    ]
    for (const link of bad) expect(parseDeepLink(link), String(link).slice(0, 80)).toBeNull()
  })

  it('finds the link in a second instance argv (Linux, Windows)', () => {
    expect(findDeepLink(['/opt/TokenDesk/tokendesk', '--flag', 'tokendesk://token/abc'])).toBe('tokendesk://token/abc')
    expect(findDeepLink(['/opt/TokenDesk/tokendesk', '.'])).toBeNull()
  })
})
