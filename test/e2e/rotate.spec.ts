import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'
import { startXduaEmulator } from '../emulators/xdua'
import { startDataforEmulator } from '../emulators/datafor'
import { QUIET_CLAIMS } from '../helpers/claims'

let fess: FessEmulator
test.beforeEach(async () => {
  fess = await startFessEmulator({ tokens: 3, seed: 11 })
})
test.afterEach(async () => {
  await fess.close()
})

test('rotate a Fess token from its row: the new value is shown once, the old one works until "Retire old"', async ({
  app,
  serve,
  page
}) => {
  await rpc(serve, 'connections:add', {
    name: 'fess-prod',
    kind: 'fess',
    baseUrl: fess.url,
    authMethod: 'token',
    credential: fess.adminToken
  })
  const old = [...fess.state.items.values()].find((i) => i.token !== fess.adminToken)!
  const before = new Set(fess.state.items.keys())
  await app.go('connections')
  await app.id(T.connRow).filter({ hasText: 'fess-prod' }).getByTestId(T.connOpen).click()
  await page.getByRole('button', { name: `Rotate ${old.name}` }).click()
  const dialog = app.id(T.rotateDialog)
  await expect(dialog).toContainText(`Rotate Fess token '${old.name}'`)
  await app.id(T.rotateStart).click()
  await expect(app.id(T.rotateSteps)).toContainText('Create the replacement')

  // The replacement exists on the server with the old one's permissions; the old one is still there.
  await expect.poll(() => fess.state.items.size).toBe(before.size + 1)
  const fresh = [...fess.state.items.values()].find((i) => !before.has(i.id))!
  expect(fresh.permissions).toEqual(old.permissions)
  expect(fess.state.items.has(old.id)).toBe(true)

  // Shown once: masked until Reveal, then the server's value with Copy.
  await expect(app.id(T.rotateValue)).not.toContainText(fresh.token)
  await dialog.getByRole('button', { name: `Reveal the new value of ${old.name}` }).click()
  await expect(app.id(T.rotateValue)).toHaveText(fresh.token)
  await expect(dialog.getByRole('button', { name: 'Copy' })).toBeVisible()

  await app.id(T.rotateRetire).click()
  await expect(app.id(T.confirmItem)).toHaveText(old.name)
  await app.confirm()
  await expect(dialog).toContainText('The old token is retired.')
  await expect.poll(() => fess.state.items.has(old.id)).toBe(false)
  expect(fess.state.items.has(fresh.id)).toBe(true)

  // Closed, the value is gone: opening the dialog again starts a new rotation with nothing to reveal.
  await dialog.getByRole('button', { name: 'Close' }).first().click()
  await expect(dialog).toBeHidden()
  await expect(page.getByText(fresh.token)).toHaveCount(0)
})

test('rotate a local lifecycle token from its Inventory detail, then retire the old one', async ({
  app,
  serve,
  page
}) => {
  const claims = { ...QUIET_CLAIMS, jti: 'j', dvm: 'd' }
  const old = await rpc(serve, 'tokens:add', {
    name: 'erp_batch',
    ...claims,
    expire: Math.floor(Date.now() / 1000) + 5 * 86400
  })
  await rpc(serve, 'tokens:pub', { id: old.id, version: old.record.version })
  await app.go('inventory')
  await app.id(T.invRow).filter({ hasText: 'erp_batch' }).click()
  await app.id(T.invDetail).getByTestId(T.invRotate).click()
  await app.id(T.rotateStart).click()
  await expect(app.id(T.rotateSteps)).toContainText('Publish the replacement')
  await expect(app.id(T.rotateValue)).toHaveCount(0)
  // Both work now: the old one is still enabled and online.
  expect((await rpc(serve, 'tokens:get', { id: old.id })).lifeState).toBe('enabled-online')

  await app.id(T.rotateRetire).click()
  await expect(app.id(T.confirmItem)).toHaveText('erp_batch')
  await app.confirm()
  await expect(app.id(T.rotateDialog)).toContainText('The old token is retired.')
  expect((await rpc(serve, 'tokens:get', { id: old.id })).lifeState).toBe('bin')
  await page.keyboard.press('Escape')
  await expect(app.id(T.invRow).filter({ hasText: 'erp_batch' })).toHaveCount(1)
})

test('rotate an xdua token from its table and a Datafor secret from its configuration', async ({
  app,
  serve,
  page
}) => {
  const xdua = await startXduaEmulator({ tokens: 2 })
  const df = await startDataforEmulator({ configs: 1 })
  try {
    await rpc(serve, 'connections:add', {
      name: 'xdua-prod',
      kind: 'xdua',
      baseUrl: xdua.url,
      authMethod: 'jwt',
      credential: xdua.token
    })
    await rpc(serve, 'connections:add', {
      name: 'bi',
      kind: 'datafor',
      baseUrl: df.url,
      authMethod: 'basic',
      username: df.admin.username,
      credential: df.admin.password
    })
    const old = [...xdua.state.tokens.values()][0]
    await app.go('connections')
    await app.id(T.connRow).filter({ hasText: 'xdua-prod' }).getByTestId(T.connOpen).click()
    await page.getByRole('button', { name: `Rotate ${old.id}` }).click()
    await app.id(T.rotateStart).click()
    await expect(app.id(T.rotateSteps)).toContainText('Publish the replacement')
    expect(xdua.state.tokens.size).toBe(3)
    expect(xdua.state.tokens.get(old.id)!.deleted).toBe(false)
    await app.id(T.rotateRetire).click()
    await app.confirm()
    await expect(app.id(T.rotateDialog)).toContainText('The old token is retired.')
    expect(xdua.state.tokens.get(old.id)).toMatchObject({ published: false })
    await app.id(T.rotateDialog).getByRole('button', { name: 'Close' }).first().click()

    const name = [...df.state.configs.keys()][0]
    await app.id(T.connRow).filter({ hasText: 'bi' }).getByTestId(T.connOpen).click()
    await page.getByRole('button', { name: `Rotate the secret of ${name}` }).click()
    await expect(app.id(T.rotateDialog)).toContainText('stop working as soon as the new one is written')
    await app.id(T.rotateStart).click()
    await expect(app.id(T.rotateSteps)).toContainText('Verify a test token with the new secret')
    await expect(app.id(T.rotateDialog)).toContainText('The new secret is in use.')
    await expect(app.id(T.rotateRetire)).toHaveCount(0)
  } finally {
    await Promise.all([xdua.close(), df.close()])
  }
})
