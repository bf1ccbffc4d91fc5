import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { AuditPage } from './pages/audit.page'

test('SSO apps: create, mint a Datafor test token with its login URL, verify it in the workbench', async ({
  app,
  serve,
  page
}) => {
  await app.go('ssoApps')
  const secret = 'datafor-shared-secret-0123456789abcdef'
  let adds = 0
  page.on('request', (r) => {
    if (r.url().includes('/rpc/ssoApps:add')) adds++
  })
  await app.id(T.ssoNew).click()
  const form = app.id(T.ssoForm)
  // Bad input: Datafor names allow no special characters; the field says so and nothing is sent.
  await form.getByTestId(T.field('name')).fill('bi-portal!')
  await form.getByTestId(T.field('secret')).fill(secret)
  await app.id(T.ssoSubmit).click()
  await expect(app.id(T.fieldError('name'))).toContainText('letters or digits')
  expect(adds).toBe(0)
  await form.getByTestId(T.field('name')).fill('biportal')
  await form.getByTestId(T.field('fieldmap')).fill('loginname')
  await app.id(T.ssoSubmit).click()
  await expect(app.toast('SSO app biportal created')).toBeVisible()
  // The secret went to the keychain; the page does not hold it.
  expect(await page.content()).not.toContain(secret)

  await app.id(T.ssoRow).filter({ hasText: 'biportal' }).getByRole('button', { name: 'biportal' }).click()
  await app.id(T.ssoMintSubmit).click()
  await expect(app.id(T.fieldError('username'))).toBeVisible()
  await app.id(T.ssoMintUsername).fill('alice')
  await app.id(T.ssoMint).getByLabel('Datafor base URL (for the login URL)').fill('http://localhost:28080/datafor')
  await app.id(T.ssoMint).getByLabel('Report id').fill('r1')
  await app.id(T.ssoMintSubmit).click()
  const token = (await app.id(T.ssoMintToken).innerText()).trim()
  expect(token.split('.')).toHaveLength(3)
  await expect(app.id(T.ssoMintUrl)).toHaveText(
    `http://localhost:28080/datafor/plugin/datafor/api/integrate/r1?__compact=true&token=${token}`
  )
  await app.screenshot('sso-apps')
  await app.expectAccessible()

  // Verify in the workbench with the app's secret: the login name sits under the fieldmap's claim.
  await app.id(T.ssoMintOpenInWorkbench).click()
  await expect(app.id(T.screen('jwt'))).toBeVisible()
  await expect(app.id(T.jwtInput)).toHaveValue(token)
  // The workbench checks with the app's own key: nothing to paste.
  await expect(app.id(T.jwtVerifyKey)).toContainText('SSO app biportal')
  await app.id(T.jwtVerifySubmit).click()
  await expect(app.id(T.jwtVerifyResult)).toContainText('signature valid')
  await expect(app.id(T.jwtVerifyResult)).toContainText('"loginname": "alice"')

  const audit = new AuditPage(app)
  await audit.open()
  await audit.expectRow({ action: 'ssoApps:add', outcome: 'ok' })
  await audit.expectRow({ action: 'ssoApps:mint', outcome: 'ok' })
  expect(JSON.stringify(await rpc(serve, 'audit:list', { limit: 100 }))).not.toContain(secret)

  // Delete, confirmed: the row goes and the toast names the app.
  await app.go('ssoApps')
  await app.id(T.ssoRow).filter({ hasText: 'biportal' }).getByRole('button', { name: 'biportal' }).click()
  await app.id(T.recordDelete('sso')).click()
  await expect(app.id(T.confirmDialog)).toContainText('Delete SSO app biportal?')
  await app.confirm()
  await expect(app.toast('SSO app biportal deleted')).toBeVisible()
  await expect(app.id(T.ssoRow)).toHaveCount(0)
})

test('access tokens: create, reveal on click only, edit, delete', async ({ app, page }) => {
  await app.go('accessTokens')
  let adds = 0
  page.on('request', (r) => {
    if (r.url().includes('/rpc/accessTokens:add')) adds++
  })
  await app.id(T.accessNew).click()
  const form = app.id(T.accessForm)
  await form.getByTestId(T.field('name')).fill('   ')
  await app.id(T.accessSubmit).click()
  await expect(app.id(T.fieldError('name'))).toContainText('name is required')
  expect(adds).toBe(0)
  await form.getByTestId(T.field('name')).fill('search-bot')
  await form.getByTestId(T.field('permissions')).fill('{role}admin-api\n{user}bob')
  await app.id(T.accessSubmit).click()
  await expect(app.toast('Access token search-bot created')).toBeVisible()

  await app.id(T.accessRow).filter({ hasText: 'search-bot' }).getByRole('button').click()
  const masked = await app.id(T.accessSecret).innerText()
  expect(masked).not.toMatch(/^[A-Za-z0-9]{60}$/)
  await app.id(T.accessReveal).click()
  await expect(app.id(T.accessSecret)).toHaveText(/^[A-Za-z0-9]{60}$/)
  const value = await app.id(T.accessSecret).innerText()
  await page.getByRole('button', { name: 'Hide' }).click()
  await expect(app.id(T.accessSecret)).not.toHaveText(value)
  await app.screenshot('access-tokens')
  await app.expectAccessible()

  await app.id(T.recordEdit('access')).click()
  await app.id(T.accessForm).getByTestId(T.field('name')).fill('search-bot-2')
  await app.id(T.accessSubmit).click()
  await expect(app.id(T.accessRow).filter({ hasText: 'search-bot-2' })).toBeVisible()

  await app.id(T.recordDelete('access')).click()
  await expect(app.id(T.confirmDialog)).toContainText('Delete access token search-bot-2?')
  await app.confirm()
  await expect(app.toast('Access token search-bot-2 deleted')).toBeVisible()
  await expect(app.id(T.accessRow)).toHaveCount(0)
  const audit = new AuditPage(app)
  await audit.open()
  await audit.expectRow({ action: 'accessTokens:reveal', outcome: 'ok' })
  // The revealed value is not in the audit log.
  for (const row of await audit.rows().allInnerTexts()) expect(row).not.toContain(value)
})
