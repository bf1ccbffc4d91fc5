import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'

test('lifecycle token form: the algorithm list holds only what the signing key can make', async ({ app, serve }) => {
  await rpc(serve, 'keys:generate', { name: 'hs-key', alg: 'HS256' })
  await rpc(serve, 'keys:generate', { name: 'es-key', alg: 'ES256' })
  await app.go('tokens')
  await app.id(T.tokensNew).click()
  const form = app.id(T.tokenForm)
  const alg = form.getByTestId(T.field('alg'))
  await form.getByTestId(T.field('keyName')).selectOption('hs-key')
  await expect(alg.locator('option')).toHaveText(["key's (HS256)", 'HS256', 'HS384', 'HS512'])
  await alg.selectOption('HS512')
  // Another key: a choice it cannot make falls back to the key's own.
  await form.getByTestId(T.field('keyName')).selectOption('es-key')
  await expect(alg.locator('option')).toHaveText(["key's (ES256)", 'ES256'])
  await expect(alg).toHaveValue('')
})
