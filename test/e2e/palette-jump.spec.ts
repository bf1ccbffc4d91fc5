import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { TokensPage } from './pages/tokens.page'

const ADD = {
  typ: 'L',
  aud: 'app1',
  sap: '*',
  ipm: '*',
  dvm: '*',
  tag: 't',
  api: '*',
  bug: '*',
  shop: 's',
  role: '*',
  rule: '*'
}

test('the palette jumps to a token by its id and to a key by its name', async ({ app, serve, page }) => {
  const { record } = await rpc(serve, 'tokens:add', { ...ADD, name: 'Jump_target', jti: 'j1' })
  await rpc(serve, 'tokens:add', { ...ADD, name: 'Jump_other', jti: 'j2' })
  await rpc(serve, 'keys:generate', { name: 'palette-key', alg: 'ES256' })
  await app.go('dashboard')

  await page.keyboard.press('Control+k')
  await app.id(T.paletteInput).fill(record.id)
  await page.getByRole('option', { name: /Token: Jump_target/ }).click()
  await expect(app.id(T.screen('tokens'))).toBeVisible()
  await expect(new TokensPage(app).detail).toHaveAttribute('data-id', record.id)

  await page.keyboard.press('Control+k')
  await app.id(T.paletteInput).fill('palette-key')
  await page.getByRole('option', { name: /Key: palette-key/ }).click()
  await expect(app.id(T.screen('keys'))).toBeVisible()
})
