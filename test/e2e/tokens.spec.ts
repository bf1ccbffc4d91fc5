import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { TokensPage } from './pages/tokens.page'
import { AuditPage } from './pages/audit.page'

const BASE = { aud: 'app1', jti: 'j1' }

test('tokens: create, then DIS/ENB, OFF/PUB, DOL/RCC, DEL with each state, the valid actions only, and audit rows', async ({
  app,
  serve,
  page
}) => {
  const tokens = new TokensPage(app)
  await tokens.open()

  // Bad input: the contract's rule for names shows beside the field and nothing is sent.
  let adds = 0
  page.on('request', (r) => {
    if (r.url().includes('/rpc/tokens:add')) adds++
  })
  await tokens.create({ ...BASE, name: '1bad', jti: 'far-too-long-jti' })
  await expect(app.id(T.fieldError('name'))).toContainText('4–32')
  await expect(app.id(T.fieldError('jti'))).toContainText('jti')
  expect(adds).toBe(0)
  await app.id(T.tokenForm).getByTestId(T.field('name')).fill('orders_api')
  await app.id(T.tokenForm).getByTestId(T.field('jti')).fill('j1')
  await app.id(T.tokenFormSubmit).click()
  await expect(app.toast(/ADD: token \w{8} \(orders_api\) created/)).toBeVisible()
  expect(adds).toBe(1)

  await expect(tokens.detail).toBeVisible()
  const id = (await tokens.detail.getAttribute('data-id'))!
  await tokens.expectState('enabled-offline')
  await tokens.expectActions(['set', 'dis', 'pub', 'dol', 'del'])
  await expect(app.id(T.tokensCount('offline'))).toHaveText('1')

  // A server error shows where the action was taken: a second token with the same name is a CONFLICT.
  await tokens.create({ ...BASE, name: 'orders_api' })
  await expect(app.id(T.error('token-form'))).toContainText('is taken')
  await expect(app.id(T.fieldError('name'))).toContainText('is taken')
  await page.keyboard.press('Escape')

  // SET through the edit form: the same zod rules (brief <= 64) refuse bad input before anything is sent.
  await tokens.act('set')
  await app.id(T.tokenForm).getByTestId(T.field('brief')).fill('x'.repeat(65))
  await app.id(T.tokenFormSubmit).click()
  await expect(app.id(T.fieldError('brief'))).toContainText('64')
  await app.id(T.tokenForm).getByTestId(T.field('brief')).fill('orders service token')
  await app.id(T.tokenFormSubmit).click()
  await expect(app.toast(/SET \w{8}: brief/)).toBeVisible()
  await expect(tokens.detail).toContainText('orders service token')

  // DIS asks first, then ENB.
  await tokens.act('dis', { confirm: true })
  await tokens.expectState('disabled-offline')
  await tokens.expectActions(['set', 'enb', 'pub', 'dol', 'del'])
  await tokens.act('enb')
  await tokens.expectState('enabled-offline')
  // PUB / OFF
  await tokens.act('pub')
  await tokens.expectState('enabled-online')
  await expect(app.id(T.tokensCount('online'))).toHaveText('1')
  await tokens.act('off')
  await tokens.expectState('enabled-offline')
  // DOL, undone from the toast (RCC)
  await tokens.act('dol', { confirm: true })
  await tokens.expectState('bin')
  await tokens.expectActions(['rcc', 'del'])
  await expect(app.id(T.tokensCount('bin'))).toHaveText('1')
  await app.id(T.undo).click()
  await tokens.expectState('enabled-offline')
  // DIS undone by the toast too (ENB)
  await tokens.act('dis', { confirm: true })
  await tokens.expectState('disabled-offline')
  await app.id(T.undo).click()
  await tokens.expectState('enabled-offline')

  // The detail pane shows the token's own audit history.
  for (const a of [
    'tokens:add',
    'tokens:set',
    'tokens:dis',
    'tokens:enb',
    'tokens:pub',
    'tokens:off',
    'tokens:dol',
    'tokens:rcc'
  ])
    await expect(tokens.historyRow(a).first()).toBeVisible()
  await app.screenshot('tokens')
  await app.expectAccessible()

  // The server agrees about the state (the UI is not making it up).
  expect((await rpc(serve, 'tokens:get', { id })).lifeState).toBe('enabled-offline')

  // DEL asks first; Cancel keeps the token.
  await tokens.act('del')
  await app.id(T.confirmCancel).click()
  await expect(tokens.detail).toBeVisible()
  await tokens.act('del', { confirm: true })
  await expect(tokens.detail).toBeHidden()
  await expect(tokens.rows()).toHaveCount(0)

  const audit = new AuditPage(app)
  await audit.open()
  for (const a of [
    'tokens:add',
    'tokens:dis',
    'tokens:enb',
    'tokens:pub',
    'tokens:off',
    'tokens:dol',
    'tokens:rcc',
    'tokens:del'
  ])
    await audit.expectRow({ action: a, outcome: 'ok' })
  await audit.expectRow({ action: 'tokens:add', outcome: 'VALIDATION' })
})

test('tokens: search, filters, sort and keyset paging over a seeded store; at most ~100 rows in the DOM', async ({
  app,
  serve
}) => {
  const { jobId } = await rpc(serve, 'tokens:seed', { count: 3000, seed: 7 })
  for (;;) {
    const job = await rpc(serve, 'jobs:get', { id: jobId })
    if (job.state !== 'running') break
    await new Promise((r) => setTimeout(r, 100))
  }
  const counts = await rpc(serve, 'tokens:counts', {})
  const tokens = new TokensPage(app)
  await tokens.open()
  await expect(app.id(T.tokensTotal)).toContainText(`${counts.live.toLocaleString('en')} tokens`)
  await expect(tokens.rows().first()).toBeVisible()
  expect(await tokens.rows().count()).toBeLessThanOrEqual(100)

  // Jump to the end: the store seeks the last page's keyset cursor ('tokens:seek') instead of walking every page
  // before it, shows exactly the list's last rows, and the DOM still holds only the visible rows.
  const list = app.id(T.tokensList)
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight))
  const lastRow = tokens.rows().last()
  await expect(lastRow).toHaveAttribute('aria-rowindex', String(counts.live + 1), { timeout: 20_000 })
  const tail = await rpc(serve, 'tokens:seek', { position: counts.live - 1 })
  const want = (await rpc(serve, 'tokens:list', { limit: 1, ...(tail.cursor ? { cursor: tail.cursor } : {}) })).items[0]
  await expect(lastRow).toHaveAttribute('data-id', want.id)
  expect(Number(await list.getAttribute('data-walked-rows')), 'the jump did not walk the pages before it').toBeLessThan(
    counts.live - 500
  )
  expect(await tokens.rows().count()).toBeLessThanOrEqual(100)
  // Scrolling up from there reads the pages before it by keyset too: the rows shown are the list's rows at their indexes.
  await list.evaluate((el) => (el.scrollTop -= 60 * 30))
  const from = counts.live - 200
  const seek = await rpc(serve, 'tokens:seek', { position: from })
  const before = (
    await rpc(serve, 'tokens:list', { limit: 200, ...(seek.cursor ? { cursor: seek.cursor } : {}) })
  ).items.map((r) => r.id)
  const shown = () =>
    tokens
      .rows()
      .evaluateAll((els) =>
        els.map((e) => [Number(e.getAttribute('aria-rowindex')) - 2, e.getAttribute('data-id')] as const)
      )
  await expect
    .poll(async () => (await shown()).filter(([i]) => i < counts.live - 30).length, { timeout: 20_000 })
    .toBeGreaterThan(5)
  for (const [index, id] of await shown()) expect(id, `row ${index}`).toBe(before[index - from])

  // State filter: every row shown is disabled, and the count matches the sidebar's.
  await app.id(T.tokensFilter('state')).selectOption('disabled')
  await expect(app.id(T.tokensTotal)).toContainText(`${counts.disabled.toLocaleString('en')} tokens`)
  // The total comes with the counts; the rows of the filtered list land a moment later (until then the list, back at
  // its top, still shows the previous query's first rows): wait for them rather than reading the DOM in between.
  const states = () =>
    tokens
      .rows()
      .locator('[data-state]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-state') ?? ''))
  await expect
    .poll(
      async () => {
        const shown = await states()
        return shown.length > 0 && shown.every((s) => s.startsWith('disabled'))
      },
      { timeout: 20_000 }
    )
    .toBe(true)
  await app.id(T.tokensFilter('state')).selectOption('')

  // Search (debounced): take a real name from the store and find it by a substring.
  const first = (await rpc(serve, 'tokens:list', { limit: 1, sort: 'name', dir: 'asc' })).items[0]
  const part = first.name.slice(1)
  await app.id(T.tokensSearch).fill(part)
  await expect(tokens.row(first.name)).toBeVisible()
  // The row can already be on screen before the debounced search lands: wait until only matching rows are shown.
  const names = () => tokens.rows().locator('span.mono.ellipsis').allInnerTexts()
  await expect
    .poll(async () => (await names()).every((n) => n.toLowerCase().includes(part.toLowerCase())), { timeout: 20_000 })
    .toBe(true)
  // The whole name: the total counts the walked matches in words (one match is "1 token matches").
  const exactly = (await rpc(serve, 'tokens:list', { limit: 50, search: first.name })).items.length
  await app.id(T.tokensSearch).fill(first.name)
  await expect(app.id(T.tokensTotal)).toHaveText(exactly === 1 ? '1 token matches' : `${exactly} tokens match`)
  await app.id(T.tokensSearch).fill('')

  // A filter the counts per state cannot answer (a creator) over more than one page: the total is the store's count of
  // the matches ('tokens:count'), not the rows read so far, and the list is that long down to its last row.
  const alices: string[] = []
  for (let cursor: string | null | undefined; cursor !== null;) {
    const p = await rpc(serve, 'tokens:list', { creator: 'alice', limit: 500, ...(cursor ? { cursor } : {}) })
    alices.push(...p.items.map((r) => r.id))
    cursor = p.nextCursor
  }
  expect(alices.length).toBeGreaterThan(100) // more than the first page
  await app.id(T.tokensFilter('creator')).fill('alice')
  await expect(app.id(T.tokensTotal)).toHaveText(`${alices.length.toLocaleString('en')} tokens match`)
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight))
  await expect(tokens.rows().last()).toHaveAttribute('aria-rowindex', String(alices.length + 1), { timeout: 20_000 })
  await expect(tokens.rows().last()).toHaveAttribute('data-id', alices[alices.length - 1])
  await app.id(T.tokensFilter('creator')).fill('')

  // Sort by name A→Z: the first row is the smallest name.
  await app.id(T.tokensSort).selectOption('name:asc')
  await expect(tokens.rows().first()).toContainText(first.name)

  // Keyboard: the list takes focus and arrow keys move the selection, opening the detail pane.
  await list.focus()
  await app.page.keyboard.press('ArrowDown')
  await expect(tokens.detail).toHaveAttribute('data-id', first.id)
  await expect(tokens.detail.getByTestId(T.tokenHistory)).toBeVisible()
  await app.screenshot('tokens-seeded')
})
