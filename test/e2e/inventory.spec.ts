import { readFileSync } from 'node:fs'
import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { InventoryPage } from './pages/inventory.page'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'
import { startXduaEmulator, type XduaEmulator } from '../emulators/xdua'
import { startDataforEmulator } from '../emulators/datafor'

const DAY = 86_400
const nowSec = () => Math.floor(Date.now() / 1000)
const fessStamp = (sec: number) => new Date(sec * 1000).toISOString().slice(0, 19)
const claims = {
  typ: 'L',
  aud: 'a',
  sap: 's',
  ipm: '10.0.0.1',
  dvm: 'd',
  tag: 't',
  api: '*',
  bug: '0',
  shop: 's',
  role: 'r',
  rule: 'x'
}

let fess: FessEmulator
let xdua: XduaEmulator
test.beforeEach(async () => {
  fess = await startFessEmulator({ tokens: 3, seed: 7 })
  xdua = await startXduaEmulator({ tokens: 3 })
})
test.afterEach(async () => {
  await Promise.all([fess.close(), xdua.close()])
})

test('inventory: expiring within 30 days across two servers and local, select, renew: the findings count drops', async ({
  app,
  serve,
  page
}) => {
  test.setTimeout(120_000)
  const t = nowSec()
  const fessDue = [...fess.state.items.values()].find((i) => i.token !== fess.adminToken)!
  fessDue.expires = fessStamp(t + 10 * DAY)
  fess.state.changed()
  const xduaDue = [...xdua.state.tokens.values()][0]
  xduaDue.expire = t + 20 * DAY
  await rpc(serve, 'connections:add', {
    name: 'fess-prod',
    kind: 'fess',
    baseUrl: fess.url,
    authMethod: 'token',
    credential: fess.adminToken
  })
  await rpc(serve, 'connections:add', {
    name: 'xdua-prod',
    kind: 'xdua',
    baseUrl: xdua.url,
    authMethod: 'jwt',
    credential: xdua.token
  })
  await rpc(serve, 'tokens:add', { name: 'local_soon', ...claims, jti: 'j1', expire: t + 5 * DAY })
  await rpc(serve, 'tokens:add', { name: 'local_later', ...claims, jti: 'j2', expire: t + 25 * DAY })
  await rpc(serve, 'tokens:add', { name: 'local_far', ...claims, jti: 'j3', expire: t + 200 * DAY })

  await app.go('inventory')
  const inv = new InventoryPage(page)
  await inv.refreshAll()
  await expect(inv.id(T.invRefreshResult)).toHaveCount(2)
  await expect(inv.id(T.invRefreshResult).filter({ hasText: 'refreshed' })).toHaveCount(2)

  await inv.expiringWithin(30)
  await expect(inv.rows).toHaveCount(4)
  const servers = await inv.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-server')))
  expect(new Set(servers)).toEqual(new Set(['fess-prod', 'xdua-prod', 'local']))
  await expect(inv.rows.filter({ hasText: 'local_far' })).toHaveCount(0)
  // Each of them trips "expires soon" (the 30 days reach past the 14-day window for two of them, which do not).
  const before = await inv.findingsCount()

  await inv.selectAll()
  await expect(page.getByText('4 selected')).toBeVisible()
  await inv.renewSelected('+90 days')
  await expect(app.toast('Renewed 4 of 4')).toBeVisible()
  await expect(inv.rows).toHaveCount(0)
  await expect.poll(() => inv.findingsCount()).toBeLessThan(before)
  // Renewed on the servers too, through their own APIs.
  await expect
    .poll(() => Date.parse(`${fess.state.items.get(fessDue.id)!.expires}Z`) / 1000)
    .toBeGreaterThan(t + 80 * DAY)
  expect(xdua.state.tokens.get(xduaDue.id)!.expire).toBeGreaterThan(t + 80 * DAY)
})

test('a finding on the row detail says why and how to fix it; Export CSV downloads the filtered inventory', async ({
  app,
  serve,
  page
}) => {
  await rpc(serve, 'accessTokens:add', { name: 'ops-admin', permissions: ['{role}admin-api'] })
  await rpc(serve, 'tokens:add', { name: 'forever', ...claims, jti: 'j9', expire: 0 })
  await app.go('inventory')
  const inv = new InventoryPage(page)
  await inv.id(T.invFilter('findings')).check()
  await inv.rows.filter({ hasText: 'ops-admin' }).click()
  const finding = inv.id(T.invDetail).locator('[data-rule="fess-admin"]')
  await expect(finding).toContainText('admin role')
  await expect(finding).toContainText('Fix:')

  const download = page.waitForEvent('download')
  await inv.id(T.invExport('csv')).click()
  const file = await download
  expect(file.suggestedFilename()).toBe('tokendesk-inventory.csv')
  const csv = readFileSync((await file.path())!, 'utf8')
  expect(csv).toContain('ops-admin')
  expect(csv).toContain('forever')
  expect(csv).toContain('fess-admin')
})

test('Refresh all servers: a failing server is reported with its code, the others refresh', async ({
  app,
  serve,
  page
}) => {
  const df = await startDataforEmulator({ configs: 1 })
  try {
    df.setFault({ kind: 'status', status: 502 })
    await rpc(serve, 'connections:add', {
      name: 'fess-prod',
      kind: 'fess',
      baseUrl: fess.url,
      authMethod: 'token',
      credential: fess.adminToken
    })
    await rpc(serve, 'connections:add', {
      name: 'bi',
      kind: 'datafor',
      baseUrl: df.url,
      authMethod: 'basic',
      username: df.admin.username,
      credential: df.admin.password
    })
    await app.go('inventory')
    const inv = new InventoryPage(page)
    await inv.refreshAll()
    await expect(inv.id(T.invRefreshResult).filter({ hasText: 'bi' })).toContainText('SERVER')
    await expect(inv.id(T.invRefreshResult).filter({ hasText: 'fess-prod' })).toContainText('refreshed, 4 pulled')
    await expect(inv.rows.filter({ hasText: fess.state.items.values().next().value!.name })).toHaveCount(1)
  } finally {
    await df.close()
  }
})

test('the expiry watch banner (web mode) names the tokens entering the window and opens the Inventory on them', async ({
  app,
  serve,
  page
}) => {
  await rpc(serve, 'tokens:add', { name: 'due_in_five', ...claims, jti: 'j5', expire: nowSec() + 5 * DAY })
  await rpc(serve, 'tokens:add', { name: 'due_in_sixty', ...claims, jti: 'j6', expire: nowSec() + 60 * DAY })
  await rpc(serve, 'watch:check', {})
  await app.open()
  const banner = app.id(T.watchBanner)
  await expect(banner).toContainText('1 token entered the 14-day expiry window: due_in_five.')
  await app.id(T.watchBannerOpen).click()
  await expect(app.id(T.screen('inventory'))).toBeVisible()
  await expect(app.id(T.invFilter('within'))).toHaveValue('14')
  const inv = new InventoryPage(page)
  await expect(inv.rows).toHaveCount(1)
  await expect(inv.rows.first()).toContainText('due_in_five')
  await banner.getByRole('button', { name: 'Dismiss' }).click()
  await expect(banner).toBeHidden()
})

test('Dashboard: the findings card opens the Inventory filtered to tokens with findings', async ({
  app,
  serve,
  page
}) => {
  await rpc(serve, 'accessTokens:add', { name: 'ops-admin', permissions: ['{role}admin-api'] })
  await rpc(serve, 'tokens:add', { name: 'clean_one', ...claims, jti: 'j7', expire: nowSec() + 300 * DAY })
  await app.go('dashboard')
  await expect(app.id(T.dashFindings)).not.toHaveText('…')
  await app.id(T.dashFindingsOpen).click()
  await expect(app.id(T.invFilter('findings'))).toBeChecked()
  const inv = new InventoryPage(page)
  await expect(inv.rows.filter({ hasText: 'ops-admin' })).toHaveCount(1)
  await expect(inv.rows.filter({ hasText: 'clean_one' })).toHaveCount(0)
})

test('Settings: the watch window and "Check now" drive the banner; the off switch is saved', async ({
  app,
  serve,
  page
}) => {
  await rpc(serve, 'tokens:add', { name: 'due_in_twenty', ...claims, jti: 'j8', expire: nowSec() + 20 * DAY })
  await app.go('settings')
  await page.getByLabel('Window (days)').fill('30')
  await app.id(T.settingsWatch('save')).click()
  await expect(app.toast('Expiry watch settings saved')).toBeVisible()
  await app.id(T.settingsWatch('check')).click()
  await expect(app.toast(/Checked: 1 token reported/)).toBeVisible()
  await page.reload()
  await expect(app.id(T.watchBanner)).toContainText('1 token entered the 30-day expiry window: due_in_twenty.')
  await app.go('settings')
  await app.id(T.settingsWatch('enabled')).uncheck()
  await app.id(T.settingsWatch('save')).click()
  await expect(app.toast('Expiry watch settings saved')).toBeVisible()
  expect(await rpc(serve, 'system:getSettings', {})).toMatchObject({
    watchEnabled: false,
    watchWindowDays: 30,
    watchIntervalMinutes: 60
  })
  expect((await rpc(serve, 'watch:status', {})).scheduled).toBe(false)
})
