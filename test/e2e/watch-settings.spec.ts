import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'

test('expiry watch settings: a late settings read does not overwrite what the user typed', async ({
  app,
  serve,
  page
}) => {
  // The Settings screen reads the settings again when it opens; hold that answer until the user has typed.
  let release: () => void = () => {}
  const held = new Promise<void>((r) => (release = r))
  await page.route('**/rpc/system:getSettings', async (route) => {
    await held
    await route.continue()
  })
  await app.go('settings')
  const windowDays = page.getByLabel('Window (days)')
  await windowDays.fill('30')
  const answered = page.waitForResponse('**/rpc/system:getSettings')
  release()
  await answered
  await expect(windowDays).toHaveValue('30')
  await app.id(T.settingsWatch('save')).click()
  await expect(app.toast('Expiry watch settings saved')).toBeVisible()
  expect(await rpc(serve, 'system:getSettings', {})).toMatchObject({ watchWindowDays: 30 })
})
