import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'
import { startDataforEmulator } from '../emulators/datafor'

let fess: FessEmulator
test.beforeEach(async () => {
  fess = await startFessEmulator({ tokens: 6, seed: 4 })
})
test.afterEach(async () => {
  await fess.close()
})

test('remote Fess table: select two tokens, delete them with one confirmation that names both', async ({
  app,
  serve,
  page
}) => {
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
  // No loose destructive buttons in the rows: delete acts on the selection.
  await expect(app.id(T.remoteRow).getByRole('button', { name: /^Delete/ })).toHaveCount(0)
  const [a, b] = [...fess.state.items.values()].filter((i) => i.token !== fess.adminToken)
  const table = page.getByRole('table', { name: 'Access tokens on fess-emu' })
  await table.getByRole('checkbox', { name: `Select ${a.name}` }).check()
  await table.getByRole('checkbox', { name: `Select ${b.name}` }).check()
  await expect(page.getByText('2 selected')).toBeVisible()
  await page.getByRole('button', { name: 'Delete selected' }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('Delete 2 access tokens on the server?')
  await expect(dialog).toContainText(a.name)
  await expect(dialog).toContainText(b.name)
  await dialog.getByRole('button', { name: 'Delete' }).click()
  await expect(app.toast(new RegExp(`Deleted '.+', '.+' on the server`))).toBeVisible()
  await expect.poll(() => fess.state.items.has(a.id) || fess.state.items.has(b.id)).toBe(false)
  await expect(app.id(T.remoteRow)).toHaveCount(fess.state.items.size)
  await expect(page.getByRole('button', { name: 'Delete selected' })).toHaveCount(0)
})

test('remote Datafor table: delete a configuration through the selection, not a row button', async ({
  app,
  serve,
  page
}) => {
  const df = await startDataforEmulator({ configs: 3 })
  try {
    await rpc(serve, 'connections:add', {
      name: 'bi',
      kind: 'datafor',
      baseUrl: df.url,
      authMethod: 'basic',
      username: df.admin.username,
      credential: df.admin.password
    })
    await app.go('connections')
    await app.id(T.connRow).filter({ hasText: 'bi' }).getByTestId(T.connOpen).click()
    await expect(app.id(T.remoteRow)).toHaveCount(df.state.configs.size)
    await expect(app.id(T.remoteRow).getByRole('button', { name: /^Delete/ })).toHaveCount(0)
    const name = [...df.state.configs.keys()][0]
    await page
      .getByRole('table', { name: 'Configurations on bi' })
      .getByRole('checkbox', { name: `Select ${name}` })
      .check()
    await page.getByRole('button', { name: 'Delete selected' }).click()
    await expect(page.getByRole('dialog')).toContainText(`Delete configuration '${name}' on the server?`)
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await expect(app.toast(`Deleted '${name}' on the server`)).toBeVisible()
    await expect.poll(() => df.state.configs.has(name)).toBe(false)
  } finally {
    await df.close()
  }
})
