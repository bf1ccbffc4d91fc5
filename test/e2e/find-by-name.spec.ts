import { test, expect, rpc, type ServeHandle } from './fixtures'
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

async function addAs(serve: ServeHandle, name: string, jti: string) {
  return (await rpc(serve, 'tokens:add', { ...ADD, name, jti })).record.id
}

test('the Creator filter suggests stored creators and matches by prefix', async ({ app, serve, page }) => {
  await rpc(serve, 'system:updateSettings', { operator: 'rootish' })
  await addAs(serve, 'By_root', 'r1')
  // Another operator name for the next token.
  await rpc(serve, 'system:updateSettings', { operator: 'alice.ops' })
  await addAs(serve, 'By_alice', 'a1')
  const tokens = new TokensPage(app)
  await tokens.open()
  const creator = app.id(T.tokensFilter('creator'))
  await creator.fill('ali')
  await expect(tokens.rows()).toHaveCount(1)
  await expect(tokens.rows().first()).toContainText('By_alice')
  await expect(page.locator('#creator-suggestions option[value="alice.ops"]')).toHaveCount(1)
  await creator.fill('ro')
  await expect(tokens.rows()).toHaveCount(1)
  await expect(tokens.rows().first()).toContainText('By_root')
})

test("Audit's target filter finds by name and the Target column shows the current name", async ({
  app,
  serve,
  page
}) => {
  const id = await addAs(serve, 'Audit_named', 'n1')
  await addAs(serve, 'Audit_other', 'n2')
  await rpc(serve, 'tokens:set', { id, version: 1, name: 'Audit_renamed' })
  await app.go('audit')
  await app.id(T.auditFilterTarget).fill('Audit_renamed')
  const rows = page.getByRole('row').filter({ hasText: id })
  await expect(rows).toHaveCount(2)
  await expect(rows.first()).toContainText('Audit_renamed')
  await expect(page.getByRole('row').filter({ hasText: 'Audit_other' })).toHaveCount(0)
})
