import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { QUIET_CLAIMS } from '../helpers/claims'

// The desktop shell talks to the console through window.tokendeskShell.onShellEvent (src/shared/shell-events.ts).
// There is no Electron binary here, so a stand-in shell is injected before the page loads; the console code is real.
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const listeners: Array<(e: unknown) => void> = []
    ;(window as unknown as Record<string, unknown>).tokendeskShell = {
      onShellEvent(cb: (e: unknown) => void) {
        listeners.push(cb)
        return () => listeners.splice(listeners.indexOf(cb), 1)
      }
    }
    ;(window as unknown as Record<string, unknown>).__emitShellEvent = (e: unknown) => listeners.forEach((l) => l(e))
  })
})

async function emit(page: import('@playwright/test').Page, event: unknown) {
  await page.evaluate((e) => (window as unknown as { __emitShellEvent(e: unknown): void }).__emitShellEvent(e), event)
}

test('the idle lock hides a revealed secret', async ({ app, page, serve }) => {
  await rpc(serve, 'accessTokens:add', { name: 'locked-bot', permissions: ['{role}admin-api'] })
  await app.go('accessTokens')
  await app.id(T.accessRow).filter({ hasText: 'locked-bot' }).getByRole('button').click()
  await app.id(T.accessReveal).click()
  await expect(app.id(T.accessSecret)).toHaveText(/^[A-Za-z0-9]{60}$/)
  await emit(page, { type: 'lock', reason: 'idle' })
  await expect(app.id(T.accessSecret)).not.toHaveText(/^[A-Za-z0-9]{60}$/)
  await expect(app.toast('Locked: revealed secrets were hidden')).toBeVisible()
})

test('menu navigation and a decode deep link reach their screens', async ({ app, page }) => {
  await emit(page, { type: 'navigate', screen: 'keys' })
  await expect(app.id(T.nav('keys'))).toHaveAttribute('aria-current', 'page')
  const token =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkZWVwLWxpbmsiLCJpYXQiOjE1MTYyMzkwMjJ9.x4RfDtpVhL2_5HwyAhgY4nA3BSpm6fZPvMgpHtP6Wk8'
  await emit(page, { type: 'decodeJwt', token })
  await expect(app.id(T.nav('jwt'))).toHaveAttribute('aria-current', 'page')
  await expect(page.getByText('deep-link').first()).toBeVisible()
})

test('a click on the expiry watch notification opens the Inventory on the tokens in the window', async ({
  app,
  page,
  serve
}) => {
  const claims = { ...QUIET_CLAIMS, jti: 'j', dvm: 'd' }
  const now = Math.floor(Date.now() / 1000)
  await rpc(serve, 'tokens:add', { name: 'due_soon', ...claims, expire: now + 3 * 86400 })
  await rpc(serve, 'tokens:add', { name: 'due_later', ...claims, jti: 'j2', expire: now + 40 * 86400 })
  // What src/main/shell/watch-notifier.ts sends on a click (test/shell/watch-notifier.test.ts).
  await emit(page, { type: 'openInventory', expiringWithin: 14 })
  await expect(app.id(T.nav('inventory'))).toHaveAttribute('aria-current', 'page')
  await expect(app.id(T.invFilter('within'))).toHaveValue('14')
  await expect(app.id(T.invRow)).toHaveCount(1)
  await expect(app.id(T.invRow)).toContainText('due_soon')
})
