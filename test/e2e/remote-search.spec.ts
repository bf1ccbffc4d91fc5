import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'

let fess: FessEmulator
test.beforeEach(async () => {
  fess = await startFessEmulator({ tokens: 12, seed: 9 })
})
test.afterEach(async () => {
  await fess.close()
})

test("remote tables: a search box filters the server's list by name or id", async ({ app, serve }) => {
  await rpc(serve, 'connections:add', {
    name: 'fess-emu',
    kind: 'fess',
    baseUrl: fess.url,
    authMethod: 'token',
    credential: fess.adminToken
  })
  await app.go('connections')
  await app.id(T.connRow).filter({ hasText: 'fess-emu' }).getByTestId(T.connOpen).click()
  await expect(app.id(T.remoteRow)).toHaveCount(fess.state.items.size)
  const target = [...fess.state.items.values()].find((i) => i.token !== fess.adminToken)!
  const search = app.page.getByRole('searchbox', { name: "Search this server's list" })
  await search.fill(target.name)
  await expect(app.id(T.remoteRow)).toHaveCount(1)
  await expect(app.id(T.remoteRow)).toContainText(target.name)
  await expect(app.page.getByText(`1 of ${fess.state.items.size}`)).toBeVisible()
  await search.fill(target.id)
  await expect(app.id(T.remoteRow)).toHaveCount(1)
  await search.fill('')
  await expect(app.id(T.remoteRow)).toHaveCount(fess.state.items.size)
})
