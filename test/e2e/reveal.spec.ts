import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'

let fess: FessEmulator
test.beforeEach(async () => {
  fess = await startFessEmulator({ tokens: 3, seed: 5 })
})
test.afterEach(async () => {
  await fess.close()
})

test('a revealed remote Fess token keeps its row in shape and has Copy and Hide, like the local reveal', async ({
  app,
  serve,
  page
}) => {
  await page.setViewportSize({ width: 900, height: 600 })
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
  const row = app.id(T.remoteRow).filter({ hasText: item.name })
  const before = (await row.boundingBox())!.height

  await page.evaluate(() => {
    ;(window as unknown as { copied: string[] }).copied = []
    document.addEventListener('copy', () =>
      (window as unknown as { copied: string[] }).copied.push(String(document.getSelection()))
    )
  })
  await row.getByRole('button', { name: `Reveal ${item.name}` }).click()
  await expect(row.getByRole('button', { name: `Hide ${item.name}` })).toBeVisible()
  // One line, ellipsized: the row is as tall as before and nothing pushes the page sideways.
  expect((await row.boundingBox())!.height).toBeLessThanOrEqual(before + 2)
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
  await row.getByRole('button', { name: 'Copy', exact: true }).click()
  await expect(app.toast('Copied to the clipboard')).toBeVisible()
  expect(await page.evaluate(() => (window as unknown as { copied: string[] }).copied)).toEqual([item.token])

  await row.getByRole('button', { name: `Hide ${item.name}` }).click()
  await expect(row.getByRole('button', { name: `Reveal ${item.name}` })).toBeVisible()
  await expect(row).not.toContainText(item.token)
})
