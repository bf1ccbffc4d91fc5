import { test, expect } from './fixtures'

test('the shell shows a banner while another process bulk-loads the store, and drops it when the load ends', async ({
  app,
  page
}) => {
  let store: unknown = {
    state: 'loading',
    pid: 4242,
    since: new Date(Date.now() - 60_000).toISOString(),
    operation: 'import'
  }
  // The status RPC answers as it does while a second process holds the load marker.
  await page.route('**/rpc/system:status', async (route) => {
    const res = await route.fetch()
    const body = await res.json()
    if (body.ok) body.value.store = store
    await route.fulfill({ response: res, json: body })
  })
  // The page's clock, so the banner's poll (every few seconds while the store is held) is run, not waited for.
  await page.clock.install()
  await page.reload()
  const banner = page.getByRole('status').filter({ hasText: 'Bulk load in progress — writes wait' })
  await expect(banner).toBeVisible()
  await expect(banner).toContainText('process 4242')
  await app.go('tokens')
  await expect(banner).toBeVisible()

  store = { state: 'repairing', pid: 4242, since: null, operation: 'repair' }
  await page.clock.runFor(3000)
  await expect(page.getByRole('status').filter({ hasText: 'Store repair in progress' })).toBeVisible()
  store = null
  await page.clock.runFor(3000)
  await expect(page.getByRole('status').filter({ hasText: 'writes wait' })).toHaveCount(0)
})
