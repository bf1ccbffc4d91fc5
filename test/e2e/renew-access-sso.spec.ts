import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { startFessEmulator } from '../emulators/fess'

const day = (ms: number) => {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

test('renew an access token from its detail pane: a preset, then a date typed in the picker', async ({
  app,
  serve,
  page
}) => {
  await rpc(serve, 'accessTokens:add', { name: 'renew-bot', permissions: ['{role}admin-api'] })
  await app.go('accessTokens')
  await page.getByRole('button', { name: 'renew-bot' }).click()
  const detail = page.getByRole('complementary', { name: 'Access token renew-bot' })
  const renew = detail.getByRole('form', { name: 'Renew' })
  await renew.getByRole('button', { name: '+30 days' }).click()
  await renew.getByRole('button', { name: 'Renew', exact: true }).click()
  await expect(app.toast(/Access token 'renew-bot' renewed until/)).toBeVisible()
  const in30 = day(Date.now() + 30 * 86400_000)
  await expect(detail.locator('dd').filter({ hasText: in30 })).toBeVisible()

  // A time in the past is refused in the form, nothing saved.
  await renew.getByLabel('New expiry (server time)').fill('2020-01-01T10:00')
  await renew.getByRole('button', { name: 'Renew', exact: true }).click()
  await expect(renew).toContainText('Choose a time in the future.')
  await expect(detail.locator('dd').filter({ hasText: in30 })).toBeVisible()

  await renew.getByLabel('Never expires').check()
  await renew.getByRole('button', { name: 'Renew', exact: true }).click()
  await expect(app.toast(/renew-bot' renewed: it never expires/)).toBeVisible()
  await expect(detail.locator('dd').filter({ hasText: /^never$/ })).toBeVisible()
})

test('renew an SSO app: the lifetime of the tokens it mints, from a preset', async ({ app, serve, page }) => {
  await rpc(serve, 'ssoApps:add', { name: 'renewapp', secret: 'renew-secret-0123456789abcdef0123456789' })
  await app.go('ssoApps')
  await page.getByRole('button', { name: 'renewapp' }).click()
  const detail = page.getByRole('complementary', { name: 'SSO app renewapp' })
  await expect(detail).toContainText('86,400 s')
  const renew = detail.getByRole('form', { name: 'Renew' })
  await renew.getByRole('button', { name: '+7 days' }).click()
  await renew.getByRole('button', { name: 'Renew', exact: true }).click()
  await expect(app.toast(/SSO app 'renewapp' renewed/)).toBeVisible()
  await expect(detail).toContainText('604,800 s')
})

test('renew a token on a Fess server: the new expiry is written there, the rest kept', async ({ app, serve, page }) => {
  const fess = await startFessEmulator({ tokens: 3, seed: 2 })
  try {
    await rpc(serve, 'connections:add', {
      name: 'fess-emu',
      kind: 'fess',
      baseUrl: fess.url,
      authMethod: 'token',
      credential: fess.adminToken
    })
    await app.go('connections')
    await app.id(T.connRow).filter({ hasText: 'fess-emu' }).getByTestId(T.connOpen).click()
    const item = [...fess.state.items.values()].find((i) => i.token !== fess.adminToken)!
    const perms = item.permissions
    await page.getByRole('button', { name: `Renew ${item.name}` }).click()
    const renew = page.getByRole('dialog').getByRole('form', { name: 'Renew' })
    await renew.getByRole('button', { name: '+90 days' }).click()
    await renew.getByRole('button', { name: 'Renew', exact: true }).click()
    await expect(app.toast(/renewed on the server until/)).toBeVisible()
    const in90 = day(Date.now() + 90 * 86400_000)
    await expect.poll(() => fess.state.items.get(item.id)!.expires ?? '').toContain(in90)
    expect(fess.state.items.get(item.id)!.permissions).toBe(perms)
  } finally {
    await fess.close()
  }
})
