import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { TokensPage } from './pages/tokens.page'

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

test("a never-expiring token's detail shows the finding with its fix; renewing it there clears it", async ({
  app,
  serve
}) => {
  await rpc(serve, 'tokens:add', { name: 'forever_bot', ...claims, jti: 'f1', expire: 0 })
  const tokens = new TokensPage(app)
  await tokens.open()
  await tokens.row('forever_bot').click()
  const findings = tokens.detail.getByTestId(T.recordFindings)
  const finding = findings.locator('[data-rule="never-expires"]')
  await expect(finding).toContainText('Never expires')
  await expect(finding).toContainText('Fix:')
  await expect(finding).toContainText('warning')

  const renew = tokens.detail.getByRole('form', { name: 'Renew' })
  await renew.getByRole('button', { name: '+90 days' }).click()
  await renew.getByRole('button', { name: 'Renew', exact: true }).click()
  await expect(app.toast(/Token 'forever_bot' renewed until/)).toBeVisible()
  await expect(finding).toHaveCount(0)
  await expect(findings).toContainText('No findings.')
  await expect(findings).toHaveAttribute('aria-busy', 'false')
})

test('a state verb refreshes the findings: disabling an expired, still enabled token clears expired-active', async ({
  app,
  serve
}) => {
  await rpc(serve, 'tokens:add', {
    name: 'stale_bot',
    ...claims,
    jti: 's1',
    expire: Math.floor(Date.now() / 1000) - 86_400
  })
  const tokens = new TokensPage(app)
  await tokens.open()
  await tokens.row('stale_bot').click()
  const findings = tokens.detail.getByTestId(T.recordFindings)
  await expect(findings.locator('[data-rule="expired-active"]')).toContainText('Fix:')
  await tokens.act('dis', { confirm: true })
  await tokens.expectState('disabled-offline')
  await expect(findings.locator('[data-rule="expired-active"]')).toHaveCount(0)
  await expect(findings).toHaveAttribute('aria-busy', 'false')
})

test("an access token's and an SSO app's detail show their findings too", async ({ app, serve, page }) => {
  await rpc(serve, 'accessTokens:add', {
    name: 'ops-admin',
    permissions: ['{role}admin-api'],
    expires: '2099-01-01T00:00:00'
  })
  await rpc(serve, 'ssoApps:add', { name: 'shortapp', secret: 'short' })
  await app.go('accessTokens')
  await page.getByRole('button', { name: 'ops-admin' }).click()
  const access = page.getByRole('complementary', { name: 'Access token ops-admin' }).getByTestId(T.recordFindings)
  await expect(access.locator('[data-rule="fess-admin"]')).toContainText('Fix:')
  await expect(access.locator('[data-rule="never-expires"]')).toHaveCount(0)

  await app.go('ssoApps')
  await page.getByRole('button', { name: 'shortapp' }).click()
  const sso = page.getByRole('complementary', { name: 'SSO app shortapp' }).getByTestId(T.recordFindings)
  await expect(sso.locator('[data-rule="datafor-short-secret"]')).toContainText('Fix:')
})
