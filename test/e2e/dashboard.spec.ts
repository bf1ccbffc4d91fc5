import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'

async function countExpiring(serve: Parameters<typeof rpc>[0], days: number) {
  const now = Math.floor(Date.now() / 1000)
  let n = 0
  let cursor: string | undefined
  for (;;) {
    const page = await rpc(serve, 'tokens:list', {
      expiringBefore: now + days * 86400,
      limit: 500,
      sort: 'expiry',
      ...(cursor ? { cursor } : {})
    })
    n += page.items.filter((t) => t.expire > now).length // counted here, not by the expiringAfter filter under test
    if (!page.nextCursor) return n
    cursor = page.nextCursor
  }
}

test('dashboard: counts by state, expiring in 7/30 days, the expiry timeline plot and recent activity', async ({
  app,
  serve
}) => {
  const { jobId } = await rpc(serve, 'tokens:seed', { count: 2000, seed: 3 })
  for (;;) {
    if ((await rpc(serve, 'jobs:get', { id: jobId })).state !== 'running') break
    await new Promise((r) => setTimeout(r, 100))
  }
  const counts = await rpc(serve, 'tokens:counts', {})
  const in7 = await countExpiring(serve, 7)
  const in30 = await countExpiring(serve, 30)
  expect(in30).toBeGreaterThan(0)

  await app.go('dashboard')
  await app.page.getByRole('button', { name: 'Refresh' }).click()
  for (const k of ['live', 'enabled', 'disabled', 'online', 'offline', 'bin'] as const)
    await expect(app.id(T.dashCount(k))).toHaveText(counts[k].toLocaleString('en'))
  await expect(app.id(T.dashExpiring(7))).toHaveText(in7.toLocaleString('en'))
  await expect(app.id(T.dashExpiring(30))).toHaveText(in30.toLocaleString('en'))
  // uPlot drew the timeline on a canvas.
  await expect(app.id(T.dashTimeline).locator('canvas')).toHaveCount(1)
  await expect(app.id(T.dashRecent).locator('[data-action="tokens:seed"]').first()).toBeVisible()
  await app.screenshot('dashboard')
  await app.expectAccessible()

  // A click on a figure opens the Tokens screen filtered the same way.
  await app.id(T.dashCount('disabled')).click()
  await expect(app.id(T.screen('tokens'))).toBeVisible()
  await expect(app.id(T.tokensTotal)).toContainText(`${counts.disabled.toLocaleString('en')} tokens`)

  // "Expiring in 7 days" opens the tokens it counted: not yet expired, expiring within the window, soonest first.
  expect(in7).toBeGreaterThan(1)
  expect(in7).toBeLessThan(100) // one page: the screen counts the rows it read
  await app.go('dashboard')
  await app.id(T.dashExpiring(7)).click()
  await expect(app.id(T.screen('tokens'))).toBeVisible()
  await expect(app.id(T.tokensTotal)).toHaveText(`${in7} tokens match`)
  const today = new Date().toISOString().slice(0, 10)
  await expect(app.id(T.tokensFilter('expiringAfter'))).toHaveValue(today)
  await expect(app.id(T.tokensFilter('expiring'))).toHaveValue(
    new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10)
  )

  // More than a page expiring in 90 days: the screen shows the store's count of the window (tokens:count), the same
  // figure as the sum of the timeline's days.
  const timeline = await rpc(serve, 'tokens:expiry', { days: 90 })
  const in90 = timeline.perDay.reduce((a, b) => a + b, 0)
  expect(in90).toBeGreaterThan(100)
  const window = { expiringAfter: timeline.from, expiringBefore: timeline.from + 90 * 86400 }
  expect(await rpc(serve, 'tokens:count', window)).toEqual({ count: in90, capped: false })
  // The same window by the date fields: the total is the store's count of it, exact though it spans several pages.
  // (From yesterday: the field already shows today's date, and filling in the same value changes nothing.)
  const yesterday = new Date(Date.now() - 86400_000).toISOString().slice(0, 10)
  const in90Day = new Date(Date.now() + 90 * 86400_000).toISOString().slice(0, 10)
  await app.id(T.tokensFilter('expiringAfter')).fill(yesterday)
  await app.id(T.tokensFilter('expiring')).fill(in90Day)
  const byDates = await rpc(serve, 'tokens:count', { expiringAfter: yesterday, expiringBefore: in90Day })
  expect(byDates.count).toBeGreaterThan(100)
  await expect(app.id(T.tokensTotal)).toHaveText(`${byDates.count.toLocaleString('en')} tokens match`)
})

test("dashboard chart: a bar shows its day and count on hover, a click opens that day's tokens", async ({
  app,
  serve,
  page
}) => {
  const { jobId } = await rpc(serve, 'tokens:seed', { count: 2000, seed: 3 })
  for (;;) {
    if ((await rpc(serve, 'jobs:get', { id: jobId })).state !== 'running') break
    await new Promise((r) => setTimeout(r, 100))
  }
  await app.go('dashboard')
  const refresh = page.getByRole('button', { name: 'Refresh' })
  await refresh.click()
  // New data draws the chart anew (a new plot area): measure it once the refresh is done.
  await expect(refresh).not.toHaveAttribute('aria-busy')
  const chart = app.id(T.dashTimeline)
  await expect(chart.locator('canvas')).toHaveCount(1)
  const { perDay } = await rpc(serve, 'tokens:expiry', { days: 90 })
  const day = perDay.findIndex((n) => n > 0)
  expect(day).toBeGreaterThanOrEqual(0)
  // Where uPlot puts bar `day`: the plot area is `.u-over`; the x range is padded half a day at each end.
  const over = await chart.locator('.u-over').boundingBox()
  expect(over, 'the plot area is laid out').not.toBeNull()
  const x = over!.x + (over!.width * (day + 0.5)) / perDay.length
  await page.mouse.move(x, over!.y + over!.height - 5)
  const tip = page.getByRole('tooltip')
  await expect(tip).toContainText(/\d+ tokens? expiring/)
  // The count the console showed for that day (its clock, not this test's) is what the opened list holds.
  const shown = (await tip.innerText()).match(/([\d,]+) tokens? expiring/)![1]
  await page.mouse.click(x, over!.y + over!.height - 5)
  await expect(app.id(T.screen('tokens'))).toBeVisible()
  await expect(app.id(T.tokensTotal)).toContainText(`${shown} token`)
})
