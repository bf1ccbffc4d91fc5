import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { TokensPage } from './pages/tokens.page'

test('at 900x600 every column of the Tokens list keeps room for its text', async ({ app, serve, page }) => {
  const { jobId } = await rpc(serve, 'tokens:seed', { count: 30, seed: 4 })
  while ((await rpc(serve, 'jobs:get', { id: jobId })).state === 'running') await new Promise((r) => setTimeout(r, 100))
  await page.setViewportSize({ width: 900, height: 600 })
  const tokens = new TokensPage(app)
  await tokens.open()
  const header = page.getByRole('grid', { name: 'Tokens' }).getByRole('columnheader')
  await expect(header).toHaveCount(8)
  const widths = await header.evaluateAll((hs) =>
    hs.map((h) => [h.textContent, h.getBoundingClientRect().width] as const)
  )
  // The checkbox column aside, no column is squeezed to a letter or two ("A.", "o.").
  for (const [name, w] of widths.slice(1)) expect(w, `${name} column`).toBeGreaterThanOrEqual(44)
})

test('a double-click on a column resize handle gives the column its natural width back', async ({
  app,
  serve,
  page
}) => {
  await rpc(serve, 'keys:generate', { name: 'k-one', alg: 'ES256' })
  await app.go('keys')
  const th = page.getByRole('columnheader', { name: /^Name/ })
  const before = (await th.boundingBox())!.width
  const handle = th.getByRole('separator', { name: 'Resize Name' })
  const box = (await handle.boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(box.x + 120, box.y + box.height / 2, { steps: 4 })
  await page.mouse.up()
  await expect.poll(async () => (await th.boundingBox())!.width).toBeGreaterThan(before + 60)
  await handle.dblclick()
  await expect.poll(async () => Math.round((await th.boundingBox())!.width)).toBe(Math.round(before))
  await expect(app.id(T.keysRow)).toHaveCount(1)
})

test('hovering an ellipsized name, aud or creator in the Tokens list shows the whole value', async ({
  app,
  serve,
  page
}) => {
  const long = 'Token_name_long_enough_to_cut_12'
  await rpc(serve, 'tokens:add', {
    name: long,
    typ: 'L',
    aud: 'AudienceWithAVeryLongName',
    sap: '*',
    jti: 'h1',
    ipm: '*',
    dvm: '*',
    tag: 't',
    api: '*',
    bug: '*',
    shop: 's',
    role: '*',
    rule: '*'
  })
  await page.setViewportSize({ width: 900, height: 600 })
  await app.go('tokens')
  const row = app.id(T.tokensRow).filter({ hasText: long.slice(0, 12) })
  const name = row.getByRole('gridcell').nth(1)
  // Cut on screen, whole on hover.
  expect(await name.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true)
  await expect(name).toHaveAttribute('title', long)
  await expect(row.getByRole('gridcell').nth(4)).toHaveAttribute('title', 'AudienceWithAVeryLongName')
})

test('a long name that opens its row stays cut at its end, not scrolled, once clicked (900x600)', async ({
  app,
  serve,
  page
}) => {
  const long = 'a-very-long-access-token-name-that-keeps-going-0123456789'
  await rpc(serve, 'accessTokens:add', { name: long, permissions: ['{role}admin-api'] })
  await page.setViewportSize({ width: 900, height: 600 })
  await app.go('accessTokens')
  const link = page.getByRole('table').getByRole('button', { name: long })
  await link.dblclick()
  await expect(page.getByRole('complementary', { name: `Access token ${long}` })).toBeVisible()
  const cell = link.locator('xpath=..')
  // The start of the name stays in view (the cell is not scrolled), and the link fits in its cell with an ellipsis.
  expect(await cell.evaluate((td) => td.scrollLeft)).toBe(0)
  expect(
    await link.evaluate((b) => b.getBoundingClientRect().right <= b.parentElement!.getBoundingClientRect().right + 1)
  ).toBe(true)
})

test('a double-click on a button that opens a dialog leaves one dialog open, ready to type in', async ({
  app,
  page
}) => {
  const openers: [string, string][] = [
    ['tokens', 'New token…'],
    ['tokens', 'Export…'],
    ['accessTokens', 'New access token…'],
    ['ssoApps', 'New SSO app…'],
    ['keys', 'Generate…'],
    ['keys', 'Import…'],
    ['connections', 'Add connection…']
  ]
  for (const [screen, name] of openers) {
    await app.go(screen)
    await page.getByRole('button', { name, exact: true }).dblclick()
    const open = page.locator('dialog[open]')
    await expect(open, `${name} on ${screen}`).toHaveCount(1)
    expect(
      await open.evaluate((d) => d.contains(document.activeElement) && document.activeElement !== d),
      `focus in ${name}`
    ).toBe(true)
    await page.keyboard.press('Escape')
    await expect(open).toHaveCount(0)
  }
})

test('hover answers: a workbench tab lights up, a row that opens its detail shows the hand', async ({
  app,
  serve,
  page
}) => {
  await rpc(serve, 'accessTokens:add', { name: 'hover-bot', permissions: ['{role}admin-api'] })
  await app.go('jwt')
  const tab = page.getByRole('tab', { name: 'Verify' })
  const color = () => tab.evaluate((t) => getComputedStyle(t).color)
  const resting = await color()
  await tab.hover()
  await expect.poll(color).not.toBe(resting)
  await app.go('accessTokens')
  const row = page.getByRole('table').getByRole('row').filter({ hasText: 'hover-bot' })
  expect(await row.evaluate((r) => getComputedStyle(r).cursor)).toBe('pointer')
})
