import { test, expect, rpc } from './fixtures'
import { TokensPage } from './pages/tokens.page'

test('lifecycle mint with a short HMAC secret is refused, then offers "allow weak key" right there', async ({
  app,
  serve,
  page
}) => {
  await rpc(serve, 'keys:import', { name: 'short-hs', alg: 'HS256', source: { secret: 'short-secret' } })
  const { record: rec } = await rpc(serve, 'tokens:add', {
    ...{
      typ: 'L',
      aud: 'app1',
      sap: '*',
      jti: 'wm1',
      ipm: '*',
      dvm: '*',
      tag: 't',
      api: '*',
      bug: '*',
      shop: 's',
      role: '*',
      rule: '*'
    },
    name: 'WeakMint',
    alg: 'HS256',
    keyName: 'short-hs'
  })
  const tokens = new TokensPage(app)
  await tokens.open()
  await tokens.row('WeakMint').click()
  await expect(tokens.detail).toHaveAttribute('data-id', rec.id)

  const mint = tokens.detail.getByRole('button', { name: 'Mint test JWT' })
  await mint.click()
  await expect(tokens.detail.getByText('Tick “Allow weak key” to use it anyway')).toBeVisible()
  const allow = tokens.detail.getByLabel(/Allow the weak key \(tests only\)/)
  await allow.check()
  await mint.click()
  await expect(tokens.detail.getByRole('note').filter({ hasText: /weak key/i })).toBeVisible()
  const jwt = await tokens.detail.locator('.token-out').textContent()
  expect(jwt?.split('.')).toHaveLength(3)
  await expect(page.getByText('Tick “Allow weak key” to use it anyway')).toHaveCount(0)
})
