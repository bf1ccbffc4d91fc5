import { test, expect } from './fixtures'
import { T } from '../../src/renderer/src/testids'

/**
 * The console paints its shell before any data arrives: every RPC is held in the test until the shell (sidebar,
 * status bar, the landing screen's frame) is on screen, then released, and the data fills in.
 */
test('first paint shows the shell before the first RPC answers', async ({ page, serve }) => {
  let release!: () => void
  const held = new Promise<void>((r) => (release = r))
  const answered: string[] = []
  await page.route('**/rpc/**', async (route) => {
    await held
    await route.continue()
    answered.push(new URL(route.request().url()).pathname)
  })

  // The session URL sets the cookie and redirects to the console; the page's scripts are not held, only /rpc/.
  await page.goto(serve.sessionUrl)
  await expect(page.getByTestId(T.shell)).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible()
  await expect(page.getByTestId(T.nav('tokens'))).toBeVisible()
  await expect(page.getByTestId(T.screen('dashboard'))).toBeVisible()
  await expect(page.locator('.status-bar')).toBeVisible()
  expect(answered).toEqual([])
  await expect(page.getByTestId(T.statusDataDir)).toHaveCount(0)

  release()
  await expect(page.getByTestId(T.statusDataDir)).toHaveText(serve.dataDir)
  expect(answered.length).toBeGreaterThan(0)
})

test('a screen opened for the first time shows a skeleton until its chunk arrives, then the screen', async ({
  page,
  serve
}) => {
  await page.goto(serve.sessionUrl)
  await expect(page.getByTestId(T.statusDataDir)).toBeVisible()
  let release!: () => void
  const held = new Promise<void>((r) => (release = r))
  await page.route(/\/assets\/Settings-[^/]+\.js$/, async (route) => {
    await held
    await route.continue()
  })
  await page.getByTestId(T.nav('settings')).click()
  await expect(page.getByTestId(T.screenSkeleton)).toBeVisible()
  await expect(page.getByTestId(T.screenSkeleton)).toContainText('Settings')
  release()
  await expect(page.getByTestId(T.screen('settings'))).toBeVisible()
  await expect(page.getByTestId(T.screenSkeleton)).toHaveCount(0)
})
