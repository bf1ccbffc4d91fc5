import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { ConnectionsPage } from './pages/connections.page'
import { AuditPage } from './pages/audit.page'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'
import { startXduaEmulator, type XduaEmulator } from '../emulators/xdua'

let fess: FessEmulator
test.beforeEach(async () => {
  fess = await startFessEmulator({ tokens: 3, seed: 11 })
})
test.afterEach(async () => {
  await fess.close()
})

test('connections: add a Fess server, create, edit and delete a token there, see the server change; pull with progress', async ({
  app,
  page
}) => {
  const conns = new ConnectionsPage(app)
  await conns.open()

  // Bad input: a URL that is not one shows the field's message and sends nothing.
  let adds = 0
  page.on('request', (r) => {
    if (r.url().includes('/rpc/connections:add')) adds++
  })
  await app.id(T.connNew).click()
  await app.id(T.connForm).getByTestId(T.field('name')).fill('fess-emu')
  await app.id(T.connForm).getByTestId(T.field('baseUrl')).fill('not a url')
  await app.id(T.connSubmit).click()
  await expect(app.id(T.fieldError('baseUrl'))).toBeVisible()
  expect(adds).toBe(0)
  await page.keyboard.press('Escape')

  await conns.add({ name: 'fess-emu', kind: 'fess', baseUrl: fess.url, credential: fess.adminToken })
  // The admin token went to the keychain; the page does not hold it.
  expect(await page.content()).not.toContain(fess.adminToken)
  await app.id(T.connTest).click()
  await expect(app.id(T.connTestResult)).toContainText('Connected')
  // The server's tokens: the admin token plus the 3 seeded ones.
  await expect(app.id(T.remoteRow)).toHaveCount(fess.state.items.size)

  // Create on the server: the new value is shown once.
  await app.id(T.remoteNew).click()
  await app.id(T.remoteForm).getByTestId(T.field('name')).fill('crawler-bot')
  await app.id(T.remoteForm).getByTestId(T.field('permissions')).fill('{role}guest\n{user}crawler')
  await app.id(T.remoteSubmit).click()
  await expect(app.toast('crawler-bot created on the server')).toBeVisible()
  await expect(app.id('remote-created-token')).toHaveText(/^[A-Za-z0-9]{60}$/)
  await expect(conns.remoteRow('crawler-bot')).toBeVisible()
  const created = [...fess.state.items.values()].find((i) => i.name === 'crawler-bot')!
  expect(created.permissions.split('\n')).toHaveLength(2)
  await app.screenshot('connections')
  await app.expectAccessible()

  // Edit only the name: the server keeps the permissions (read-merge-write).
  await conns.remoteRow('crawler-bot').getByTestId(T.remoteEdit).click()
  await app.id(T.remoteForm).getByTestId(T.field('name')).fill('crawler-bot-2')
  await app.id(T.remoteSubmit).click()
  await expect(conns.remoteRow('crawler-bot-2')).toBeVisible()
  expect(fess.state.items.get(created.id)!.name).toBe('crawler-bot-2')
  expect(fess.state.items.get(created.id)!.permissions).toBe(created.permissions)

  // A server-side change since we read the list: the delete is refused with CONFLICT and its message.
  fess.state.items.get(created.id)!.updated_time += 5000
  fess.state.changed()
  await conns.remoteRow('crawler-bot-2').getByRole('checkbox').check()
  await app.id(T.remoteDelete).click()
  await app.confirm()
  await expect(app.id(T.error('remote-action'))).toContainText('CONFLICT')
  expect(fess.state.items.has(created.id)).toBe(true)
  // After the refresh the delete goes through (the failed row stays selected).
  await app.id(T.remoteDelete).click()
  await app.confirm()
  await expect(conns.remoteRow('crawler-bot-2')).toHaveCount(0)
  await expect.poll(() => fess.state.items.has(created.id)).toBe(false)

  // Pull into the local store with a progress bar that ends full.
  await app.id(T.remotePull).click()
  await expect(app.id('remote-pull-result')).toContainText(`Pulled ${fess.state.items.size}`)
  await expect(app.id(T.remoteProgress)).toHaveAttribute('value', '100')
  await app.go('accessTokens')
  await expect(app.id(T.accessRow)).toHaveCount(fess.state.items.size)

  const audit = new AuditPage(app)
  await audit.open()
  await audit.expectRow({ action: 'remote:fessCreate', outcome: 'ok' })
  await audit.expectRow({ action: 'remote:fessUpdate', outcome: 'ok' })
  await audit.expectRow({ action: 'remote:fessDelete', outcome: 'CONFLICT' })
  await audit.expectRow({ action: 'remote:fessDelete', outcome: 'ok' })
  await audit.expectRow({ action: 'remote:pull', outcome: 'ok' })
})

test('connections: a wrong Fess token shows AUTH where the test was run', async ({ app }) => {
  const conns = new ConnectionsPage(app)
  await conns.open()
  await conns.add({ name: 'fess-bad', kind: 'fess', baseUrl: fess.url, credential: 'x'.repeat(60) })
  await app.id(T.connTest).click()
  await expect(app.id(T.error('conn-test'))).toContainText('AUTH')
})

test('connections: xdua verbs run through the route table (ADD, DIS, ENB, DEL)', async ({ app, serve }) => {
  const xdua: XduaEmulator = await startXduaEmulator({ tokens: 2, seed: 5 })
  try {
    await rpc(serve, 'connections:add', {
      name: 'xdua-emu',
      kind: 'xdua',
      baseUrl: xdua.url,
      authMethod: 'jwt',
      credential: xdua.token
    })
    const conns = new ConnectionsPage(app)
    await conns.open()
    await app.id(T.connOpen).click()
    await expect(app.id(T.remoteRow).first()).toBeVisible()
    const before = xdua.state.tokens.size
    await app.id(T.remoteNew).click()
    await app.id(T.remoteForm).getByTestId(T.field('aud')).fill('app9')
    await app.id(T.remoteForm).getByTestId(T.field('jti')).fill('abc123')
    await app.id(T.remoteSubmit).click()
    await expect(app.toast(/^ADD/)).toBeVisible()
    expect(xdua.state.tokens.size).toBe(before + 1)
    const row = app.id(T.remoteRow).first()
    const id = (await row.getAttribute('data-id'))!
    await row.getByTestId(T.remoteVerb('DIS')).click()
    await app.confirm()
    await expect(app.id(T.remoteRow).filter({ hasText: id })).toContainText('disabled')
    await app.id(T.remoteRow).filter({ hasText: id }).getByTestId(T.remoteVerb('ENB')).click()
    await expect(app.id(T.remoteRow).filter({ hasText: id })).toContainText('enabled')
    await app.screenshot('connections-xdua')
    await app.id(T.remoteRow).filter({ hasText: id }).getByRole('checkbox').check()
    await app.id(T.remoteVerb('DEL')).click()
    await app.confirm()
    await expect(app.id(T.remoteRow).filter({ hasText: id })).toHaveCount(0)
    expect(xdua.requests.some((r) => r.method === 'PUT' && r.path === `/token.disable/${id}`)).toBe(true)
  } finally {
    await xdua.close()
  }
})
