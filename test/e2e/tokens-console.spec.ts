import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { TokensPage } from './pages/tokens.page'

async function seed(serve: Parameters<typeof rpc>[0], count: number) {
  const { jobId } = await rpc(serve, 'tokens:seed', { count, seed: 11 })
  for (;;) {
    if ((await rpc(serve, 'jobs:get', { id: jobId })).state !== 'running') break
    await new Promise((r) => setTimeout(r, 100))
  }
}

test('a manual Enable withdraws the earlier "Undo (ENB)" offer', async ({ app, page }) => {
  const tokens = new TokensPage(app)
  await tokens.open()
  await tokens.create({ name: 'UndoCheck', aud: 'app1', jti: 'j1' })
  await expect(tokens.detail).toBeVisible()
  await page.getByRole('button', { name: 'Disable (DIS)' }).click()
  await app.id(T.confirmOk).click()
  const undo = page.getByRole('button', { name: 'Undo (ENB)' })
  await expect(undo).toBeVisible()
  await page.getByRole('button', { name: 'Enable (ENB)' }).click()
  await tokens.expectState('enabled-offline')
  // Well before the toast's own timeout: the offer is gone because the token changed, not because time passed.
  await expect(undo).toHaveCount(0, { timeout: 2000 })
  await expect(page.getByRole('alert').filter({ hasText: 'INVALID_STATE' })).toHaveCount(0)
})

test('End in a large list shows the last token in the detail pane; Esc closes the pane', async ({
  app,
  serve,
  page
}) => {
  test.setTimeout(120_000)
  await seed(serve, 3000)
  const tokens = new TokensPage(app)
  await tokens.open()
  const first = tokens.rows().first()
  await first.click()
  const firstId = await first.getAttribute('data-id')
  await expect(tokens.detail).toHaveAttribute('data-id', firstId!)
  await page.getByRole('grid', { name: 'Tokens' }).press('End')
  const last = page.locator(`[data-testid="${T.tokensRow}"][aria-selected="true"]`)
  await expect(last).toBeVisible()
  const lastId = await last.getAttribute('data-id')
  expect(lastId).not.toBe(firstId)
  await expect(tokens.detail).toHaveAttribute('data-id', lastId!)
  // The last row really is the last one: nothing below it.
  expect(Number(await last.getAttribute('aria-rowindex'))).toBe(
    Number(await page.getByRole('grid', { name: 'Tokens' }).getAttribute('aria-rowcount'))
  )
  await page.getByRole('grid', { name: 'Tokens' }).press('Home')
  await expect(tokens.detail).toHaveAttribute('data-id', firstId!)
  await page.getByRole('grid', { name: 'Tokens' }).press('PageDown')
  await expect(tokens.detail).not.toHaveAttribute('data-id', firstId!)
  await page.keyboard.press('Escape')
  await expect(tokens.detail).toBeHidden()
})

test('find a token by its exact id, then renew it from the detail pane', async ({ app, serve, page }) => {
  await seed(serve, 300)
  const target = (await rpc(serve, 'tokens:list', { sort: 'name', limit: 1 })).items[0]
  expect(`${target.name} ${target.brief}`).not.toContain(target.id)
  const tokens = new TokensPage(app)
  await tokens.open()
  await app.id(T.tokensSearch).fill(target.id)
  await expect(tokens.rows()).toHaveCount(1)
  await expect(tokens.rows().first()).toHaveAttribute('data-id', target.id)
  await tokens.rows().first().click()
  await expect(tokens.detail).toHaveAttribute('data-id', target.id)

  const renew = page.getByRole('form', { name: 'Renew' })
  await renew.getByRole('button', { name: '+1 year' }).click()
  await renew.getByRole('button', { name: 'Renew' }).click()
  await expect(app.toast(`Token '${target.name}' renewed until`)).toBeVisible()
  const after = await rpc(serve, 'tokens:get', { id: target.id })
  const inDays = (after.expire - Date.now() / 1000) / 86400
  expect(inDays).toBeGreaterThan(364)
  expect(inDays).toBeLessThan(366)
  // A half-typed date is refused, not saved as "never".
  await renew.getByLabel('New expiry (local time)').fill('')
  await renew.getByRole('button', { name: 'Renew' }).click()
  await expect(renew.getByText('Choose a complete date and time')).toBeVisible()
  expect((await rpc(serve, 'tokens:get', { id: target.id })).expire).toBe(after.expire)
})

test('an empty store offers getting started: seed demo data, then export the store from the Tokens screen', async ({
  app,
  serve,
  page
}) => {
  test.setTimeout(120_000)
  const tokens = new TokensPage(app)
  await tokens.open()
  const panel = page.getByRole('region', { name: 'Your store is empty: get started' })
  await expect(panel).toBeVisible()
  await expect(panel.getByRole('button', { name: 'Add a connection' })).toBeVisible()
  await panel.getByRole('button', { name: 'Seed demo data' }).click()
  await expect(app.toast('500 demo tokens made')).toBeVisible({ timeout: 60_000 })
  await expect(panel).toBeHidden()
  await expect(tokens.rows().first()).toBeVisible()

  const file = join(serve.dataDir, 'export.jsonl')
  await page.getByRole('button', { name: 'Export…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Export the store' })
  await dialog.getByRole('button', { name: 'Export', exact: true }).click()
  await expect(dialog.getByText('Enter the path of a file')).toBeVisible()
  await dialog.getByLabel('File path (on the machine TokenDesk runs on)').fill(file)
  await dialog.getByRole('button', { name: 'Export', exact: true }).click()
  await expect(app.toast(`to ${file}`)).toBeVisible({ timeout: 60_000 })
  expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(500)
})
