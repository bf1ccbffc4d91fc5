import { test, expect } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { AuditPage } from './pages/audit.page'
import { ConsolePage } from './pages/console.page'

test('settings: operator name is saved, audited and shown in the status bar; bad input sends nothing', async ({
  app,
  page
}) => {
  await app.go('settings')
  await expect(app.id(T.settingsDataDir)).toHaveText(app.serve.dataDir)
  await expect(app.id(T.settingsKeychain)).toContainText('Reachable')

  // Bad input: the contract's schema refuses an empty operator name; the field says why and nothing is sent.
  const rpcCalls: string[] = []
  page.on('request', (r) => {
    if (r.url().includes('/rpc/system:updateSettings')) rpcCalls.push(r.url())
  })
  await app.id(T.field('operator')).fill('   ')
  await app.id(T.settingsSave).click()
  await expect(app.id(T.fieldError('operator'))).toBeVisible()
  expect(rpcCalls).toHaveLength(0)

  await app.id(T.field('operator')).fill('alice-admin')
  await app.id(T.settingsSave).click()
  await expect(app.toast('Settings saved')).toBeVisible()
  await expect(app.id(T.statusMode)).toContainText('operator alice-admin')
  expect(rpcCalls).toHaveLength(1)
  await app.screenshot('settings')
  await app.expectAccessible()

  const audit = new AuditPage(app)
  await audit.open()
  await audit.expectRow({ action: 'system:updateSettings', outcome: 'ok' })
  await expect(audit.rows({ action: 'system:updateSettings' }).first()).toContainText('alice-admin')
  await audit.filterAction('tokens:nothing')
  await expect(audit.rows()).toHaveCount(0)
  await audit.filterAction('system:updateSettings')
  await expect(audit.rows()).toHaveCount(1)
  await app.screenshot('audit')
  await app.expectAccessible()
})

test('theme: dark is applied and kept across a reload; a name being typed survives the switch', async ({
  app,
  page
}) => {
  await app.go('settings')
  await expect(app.id(T.field('operator'))).toHaveValue('root')
  await app.id(T.field('operator')).fill('half-typed')
  await app.id(T.settingsTheme('dark')).check()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect(app.id(T.field('operator'))).toHaveValue('half-typed')
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await app.id(T.settingsTheme('light')).check()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
})

test('Ctrl+K pressed while the palette chunk is still loading opens it when it arrives', async ({ page, serve }) => {
  // Hold the palette's chunk back so the press lands between the shell painting and the palette mounting.
  let release: () => void = () => {}
  const held = new Promise<void>((r) => (release = r))
  await page.route(/\/assets\/Palette-[^/]*\.js$/, async (route) => {
    await held
    await route.continue()
  })
  const app = new ConsolePage(page, serve)
  await app.open()
  await page.keyboard.press('Control+k')
  release()
  await expect(app.id(T.palette)).toBeVisible()
  await expect(app.id(T.paletteInput)).toBeFocused()
})

test('command palette (Ctrl+K) navigates without a mouse; focus is visible', async ({ app, page }) => {
  await page.keyboard.press('Control+k')
  await expect(app.id(T.palette)).toBeVisible()
  await expect(app.id(T.paletteInput)).toBeFocused()
  await page.keyboard.type('go to audit')
  await page.keyboard.press('Enter')
  await expect(app.id(T.screen('audit'))).toBeVisible()
  await expect(app.id(T.palette)).toBeHidden()

  // Keyboard-only navigation through the sidebar: Tab reaches a nav link and Enter opens it.
  await page.locator('body').click({ position: { x: 700, y: 400 } })
  await page.keyboard.press('Control+k')
  await page.keyboard.press('Escape')
  await expect(app.id(T.palette)).toBeHidden()
  await app.id(T.nav('settings')).focus()
  const outline = await app.id(T.nav('settings')).evaluate((el) => getComputedStyle(el).outlineStyle)
  expect(outline).not.toBe('none')
  await page.keyboard.press('Enter')
  await expect(app.id(T.screen('settings'))).toBeVisible()
})
