import { createHmac } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { JwtPage } from './pages/jwt.page'

function b64url(o: unknown) {
  return Buffer.from(JSON.stringify(o)).toString('base64url')
}
/** A token made outside TokenDesk, so the workbench explains something it did not sign itself. */
function hs256(payload: Record<string, unknown>, secret: string) {
  const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

test('decode & explain: claims with relative times, the expired badge and a clock-skew warning', async ({ app }) => {
  const now = Math.floor(Date.now() / 1000)
  const jwt = new JwtPage(app)
  await jwt.open('decode')
  await app.id(T.jwtInput).fill(hs256({ sub: 'carol', iat: now - 7200, exp: now - 3600 }, 'x'.repeat(32)))
  await expect(app.id(T.jwtExpiredBadge)).toBeVisible()
  await expect(app.id(T.jwtClaims).locator('tr[data-claim="exp"]')).toContainText(/1 h(our)? ago/)
  await expect(app.id(T.jwtPayload)).toContainText('"sub": "carol"')
  await app.screenshot('jwt-decode')
  await app.expectAccessible()

  await app.id(T.jwtInput).fill(hs256({ sub: 'dave', iat: now + 3600, exp: now + 7200 }, 'x'.repeat(32)))
  await expect(app.id(T.jwtExpiredBadge)).toHaveCount(0)
  await expect(app.id(T.jwtWarning)).toContainText('Clock skew')

  // Garbage shows the engine's coded error where it was typed.
  await app.id(T.jwtInput).fill('not-a-jwt')
  await expect(app.id(T.error('jwt-explain'))).toContainText('JWT_MALFORMED')
})

test('verify: a wrong secret shows JWT_SIGNATURE; the right one verifies; weak secrets warn when signing', async ({
  app
}) => {
  const secret = 'a-secret-that-is-long-enough-for-hs256!!'
  const token = hs256({ sub: 'erin', exp: Math.floor(Date.now() / 1000) + 600 }, secret)
  const jwt = new JwtPage(app)
  await jwt.open('verify')
  await app.id(T.jwtInput).fill(token)
  await jwt.useSecret(app.id(T.jwtVerifyKey), secret.replace('a-', 'b-'))
  await app.id(T.jwtVerifySubmit).click()
  await expect(app.id(T.error('jwt-verify'))).toContainText('JWT_SIGNATURE')
  await jwt.useSecret(app.id(T.jwtVerifyKey), secret)
  await app.id(T.jwtVerifySubmit).click()
  await expect(app.id(T.jwtVerifyResult)).toContainText('signature valid')
  await expect(app.id(T.jwtVerifyResult)).toContainText('"sub": "erin"')
  await app.screenshot('jwt-verify')

  await jwt.tab('sign')
  // Bad input: claims that are not JSON show the field's message and nothing is sent.
  let signCalls = 0
  app.page.on('request', (r) => {
    if (r.url().includes('/rpc/jwt:sign')) signCalls++
  })
  await jwt.useSecret(app.id(T.jwtSignKey), 'short')
  await expect(app.id(T.jwtWarning)).toContainText('RFC 7518')
  await app.id(T.jwtSignClaims).fill('{ "sub": ')
  await app.id(T.jwtSignSubmit).click()
  await expect(app.id(T.fieldError('claims'))).toContainText('Not valid JSON')
  expect(signCalls).toBe(0)
  // A weak key is refused by the engine with its coded error.
  await app.id(T.jwtSignClaims).fill('{ "sub": "frank" }')
  await app.id(T.jwtSignSubmit).click()
  await expect(app.id(T.error('jwt-sign'))).toContainText('JWT_WEAK_KEY')
  expect(signCalls).toBe(1)
  await app.screenshot('jwt-sign')
  await app.expectAccessible()
})

test('copy works without the Clipboard API permission (the desktop shell denies every permission)', async ({ app }) => {
  const jwt = new JwtPage(app)
  await jwt.open('sign')
  // Make the async Clipboard API fail as it does under the shell's deny-all permission handler.
  await app.page.evaluate(() => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } })
    ;(window as unknown as { copied: string[] }).copied = []
    document.addEventListener('copy', () => {
      ;(window as unknown as { copied: string[] }).copied.push(String(document.getSelection()))
    })
  })
  await jwt.useSecret(app.id(T.jwtSignKey), 'a-long-enough-secret-for-hs256-signing!!')
  await app.id(T.jwtSignClaims).fill('{ "sub": "copy" }')
  await app.id(T.jwtSignSubmit).click()
  const token = await jwt.signedToken()
  await app.page.getByRole('button', { name: 'Copy', exact: true }).first().click()
  await expect(app.toast('Copied to the clipboard')).toBeVisible()
  const copied = await app.page.evaluate(() => (window as unknown as { copied: string[] }).copied)
  expect(copied).toEqual([token])
})

test('bulk mint: the progress bar reaches 100% and the file holds every token', async ({ app, serve }) => {
  await rpc(serve, 'keys:generate', { name: 'bulk-key', alg: 'HS256' })
  const out = join(serve.dataDir, 'bulk.jsonl')
  const jwt = new JwtPage(app)
  await jwt.open('bulk')
  const picker = app.page.locator('fieldset.keypicker')
  await jwt.useStoredKey(picker, 'bulk-key')
  // Bad input first: a count of 0 is refused by the contract's schema and sends nothing.
  await app.id(T.field('count')).fill('0')
  await app.id(T.jwtBulkStart).click()
  await expect(app.id(T.fieldError('count'))).toBeVisible()

  await app.id(T.field('count')).fill('5000')
  await app.id(T.jwtBulkFile).fill(out)
  await app.id(T.jwtBulkStart).click()
  await expect(app.id(T.jwtBulkStatus)).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(app.id(T.jwtBulkProgress)).toHaveAttribute('value', '100')
  await expect(app.id(T.jwtBulkStatus)).toContainText('5,000 tokens written')
  await app.screenshot('jwt-bulk')
  expect(existsSync(out)).toBe(true)
  expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(5000)
})
