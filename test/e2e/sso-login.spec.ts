import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { startDataforEmulator, type DataforEmulator } from '../emulators/datafor'
import type { ConsolePage } from './pages/console.page'

let df: DataforEmulator
test.beforeEach(async () => {
  df = await startDataforEmulator({ configs: 1 })
})
test.afterEach(async () => {
  await df.close()
})

async function createApp(app: ConsolePage, name: string, secret: string) {
  await app.id(T.ssoNew).click()
  const form = app.id(T.ssoForm)
  await form.getByTestId(T.field('name')).fill(name)
  await form.getByTestId(T.field('secret')).fill(secret)
  await form.getByTestId(T.field('fieldmap')).fill('loginname')
  await app.id(T.ssoSubmit).click()
  await expect(app.toast(new RegExp(`SSO app ${name} created`))).toBeVisible()
  await app.id(T.ssoRow).filter({ hasText: name }).getByRole('button', { name }).click()
}

test('SSO apps: the login URL opens the report on the Datafor server and logs in; a wrong secret is refused', async ({
  app,
  serve,
  page
}) => {
  await rpc(serve, 'connections:add', {
    name: 'bi',
    kind: 'datafor',
    baseUrl: df.url,
    authMethod: 'basic',
    username: df.admin.username,
    credential: df.admin.password
  })
  await app.go('ssoApps')
  await createApp(app, 'ERP1', df.state.configs.get('ERP1')!.secret)

  const mint = app.id(T.ssoMint)
  // The base URL is the Datafor connection's, not a guess.
  await expect(mint.getByLabel('Datafor base URL (for the login URL)')).toHaveValue(df.url)
  await app.id(T.ssoMintUsername).fill('admin')
  await mint.getByLabel('Report id').fill('sales-2026')
  await app.id(T.ssoMintSubmit).click()
  const token = (await app.id(T.ssoMintToken).innerText()).trim()
  const url = (await app.id(T.ssoMintUrl).innerText()).trim()
  expect(url).toBe(`${df.url}/plugin/datafor/api/integrate/sales-2026?__compact=true&token=${token}`)

  const report = await page.context().newPage()
  await report.goto(url)
  await expect(report.getByText('Signed in as admin')).toBeVisible()
  await report.close()
  expect(df.state.logins.at(-1)).toMatchObject({ report: 'sales-2026', config: 'ERP1', ok: true })

  // Verify in the workbench carries the app's key: no secret to paste.
  await app.id(T.ssoMintOpenInWorkbench).click()
  await expect(app.id(T.jwtVerifyKey)).toContainText('SSO app ERP1')
  await app.id(T.jwtVerifySubmit).click()
  await expect(app.id(T.jwtVerifyResult)).toContainText('signature valid')
  await expect(app.id(T.jwtVerifyResult)).toContainText('"loginname": "admin"')

  // An app whose secret differs from the server's: the login is refused.
  await app.go('ssoApps')
  await createApp(app, 'ERPOLD', 'an-old-secret-that-was-rotated-0123456789')
  await app.id(T.ssoMintUsername).fill('admin')
  await app.id(T.ssoMint).getByLabel('Report id').fill('sales-2026')
  await app.id(T.ssoMintSubmit).click()
  const refused = (await app.id(T.ssoMintUrl).innerText()).trim()
  // A browser without a Datafor session (the one above now has one, and Datafor would not look at the token).
  const res = await fetch(refused)
  expect(res.status).toBe(401)
  expect(await res.text()).toContain('signature is invalid')
})

test('SSO apps: a short secret warns when saved, and minting offers to allow the weak key', async ({ app }) => {
  await app.go('ssoApps')
  await createApp(app, 'DEMO', 'datafor-demo')
  await expect(app.id('sso-save-warning')).toContainText('Weak secret: 12 bytes, but HS256 needs at least 32')
  await app.id(T.ssoMintUsername).fill('admin')
  await app.id(T.ssoMintSubmit).click()
  await expect(app.id(T.error('sso-mint'))).toContainText('JWT_WEAK_KEY')
  await app.id(T.ssoMint).getByLabel('Allow the weak key for this test token').check()
  await app.id(T.ssoMintSubmit).click()
  await expect(app.id(T.ssoMintToken)).toHaveText(/^[\w-]+\.[\w-]+\.[\w-]+$/)
  await expect(app.id(T.error('sso-mint'))).toHaveCount(0)
})
