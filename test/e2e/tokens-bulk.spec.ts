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

async function add(serve: ServeHandle, names: string[]) {
  const ids: Record<string, string> = {}
  for (const [i, name] of names.entries())
    ids[name] = (await rpc(serve, 'tokens:add', { ...ADD, name, jti: `b${i}` })).record.id
  return ids
}

test('bulk DIS on a selection: one confirmation naming them, the optional reason, a progress bar', async ({
  app,
  serve,
  page
}) => {
  const ids = await add(serve, ['Bulk_a', 'Bulk_b', 'Bulk_c', 'Bulk_keep'])
  const tokens = new TokensPage(app)
  await tokens.open()
  for (const n of ['Bulk_a', 'Bulk_b', 'Bulk_c']) await page.getByRole('checkbox', { name: `Select ${n}` }).check()
  const bar = page.getByRole('toolbar', { name: 'Selected tokens' })
  await expect(bar).toContainText('3 selected')
  await bar.getByRole('button', { name: 'Disable (DIS)' }).click()

  const dlg = app.id(T.confirmDialog)
  await expect(dlg).toContainText('Disable (DIS): 3 tokens?')
  await expect(app.id(T.confirmItem)).toHaveText("Tokens 'Bulk_a', 'Bulk_b', 'Bulk_c'")
  await dlg.getByLabel('Reason (optional)').fill('audit 42')
  await dlg.getByRole('button', { name: 'Disable (DIS) 3' }).click()

  const run = page.getByRole('dialog', { name: 'Disable (DIS) on 3 tokens' })
  await expect(run.getByRole('progressbar', { name: 'Bulk progress' })).toBeVisible()
  await expect(run).toContainText('All 3 tokens disabled.')
  await expect(app.toast('3 of 3 tokens disabled')).toBeVisible()
  for (const n of ['Bulk_a', 'Bulk_b', 'Bulk_c']) {
    const r = await rpc(serve, 'tokens:get', { id: ids[n] })
    expect(r.lifeState).toBe('disabled-offline')
    expect(r.stato).toBe('audit 42')
  }
  expect((await rpc(serve, 'tokens:get', { id: ids.Bulk_keep })).lifeState).toBe('enabled-offline')
})

test('bulk ENB lists the tokens that cannot take it and does the rest', async ({ app, serve, page }) => {
  const ids = await add(serve, ['Mix_off1', 'Mix_off2', 'Mix_on'])
  for (const n of ['Mix_off1', 'Mix_off2']) await rpc(serve, 'tokens:dis', { id: ids[n], version: 1 })
  const tokens = new TokensPage(app)
  await tokens.open()
  // "Select all loaded" selects the rows loaded so far: wait for them.
  await expect(tokens.rows()).toHaveCount(3)
  await page.getByRole('checkbox', { name: 'Select all loaded tokens' }).check()
  const bar = page.getByRole('toolbar', { name: 'Selected tokens' })
  await expect(bar).toContainText('3 selected')
  await bar.getByRole('button', { name: 'Enable (ENB)' }).click()
  await app.id(T.confirmOk).click()
  const run = page.getByRole('dialog', { name: 'Enable (ENB) on 3 tokens' })
  const failed = run.getByRole('list', { name: 'Failed tokens' })
  await expect(failed.getByRole('listitem')).toHaveCount(1)
  await expect(failed).toContainText('Mix_on')
  await expect(run).toContainText('2 enabled; 1 failed and stays selected')
  for (const n of ['Mix_off1', 'Mix_off2'])
    expect((await rpc(serve, 'tokens:get', { id: ids[n] })).lifeState).toBe('enabled-offline')
  await run.getByRole('button', { name: 'Done' }).click()
  await expect(bar).toContainText('1 selected')
})

test('bulk delete of many names the count and the first few; single DIS asks for the reason too', async ({
  app,
  serve,
  page
}) => {
  const names = Array.from({ length: 7 }, (_, i) => `Del_${i}`)
  const ids = await add(serve, names)
  const tokens = new TokensPage(app)
  await tokens.open()
  await expect(tokens.rows()).toHaveCount(names.length)
  await page.getByRole('checkbox', { name: 'Select all loaded tokens' }).check()
  await page
    .getByRole('toolbar', { name: 'Selected tokens' })
    .getByRole('button', { name: 'Delete for good (DEL)' })
    .click()
  await expect(app.id(T.confirmItem)).toContainText('7 tokens, among them')
  await expect(app.id(T.confirmItem)).toContainText('and 2 more')
  await page.getByRole('button', { name: 'Delete for good (DEL) 7' }).click()
  await expect(app.toast('7 of 7 tokens deleted for good')).toBeVisible()
  await expect(tokens.rows()).toHaveCount(0)

  const one = await add(serve, ['Single'])
  await page.reload()
  await tokens.open()
  await tokens.row('Single').click()
  await page.getByRole('button', { name: 'Disable (DIS)' }).click()
  await app.id(T.confirmDialog).getByLabel('Reason (optional)').fill('lost laptop')
  await app.id(T.confirmOk).click()
  await tokens.expectState('disabled-offline')
  expect((await rpc(serve, 'tokens:get', { id: one.Single })).stato).toBe('lost laptop')
  expect(Object.keys(ids)).toHaveLength(7)
})
