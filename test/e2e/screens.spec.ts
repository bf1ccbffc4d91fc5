import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { SCREENS } from '../../src/renderer/src/stores/ui.store'
import { startFessEmulator } from '../emulators/fess'

/**
 * Every screen, with data in it, in the dark theme and the light one: a screenshot of each in artifacts/screens and
 * axe-core on each (no serious or critical violations; colour contrast is checked in both palettes).
 */
test('every screen renders with data and passes axe in both themes', async ({ app, serve }) => {
  test.setTimeout(180_000)
  const fess = await startFessEmulator({ tokens: 4, seed: 2 })
  try {
    const { jobId } = await rpc(serve, 'tokens:seed', { count: 400, seed: 9 })
    for (;;) {
      if ((await rpc(serve, 'jobs:get', { id: jobId })).state !== 'running') break
      await new Promise((r) => setTimeout(r, 100))
    }
    await rpc(serve, 'keys:generate', { name: 'tour-es', alg: 'ES256' })
    await rpc(serve, 'accessTokens:add', { name: 'tour-bot', permissions: ['{role}admin-api'] })
    await rpc(serve, 'ssoApps:add', { name: 'tourapp', secret: 'tour-secret-0123456789abcdef0123456789' })
    await rpc(serve, 'connections:add', { name: 'tour-fess', kind: 'fess', baseUrl: fess.url, authMethod: 'token', credential: fess.adminToken })

    for (const theme of ['dark', 'light'] as const) {
      await app.go('settings')
      await app.id(T.settingsTheme(theme)).check()
      await expect(app.page.locator('html')).toHaveAttribute('data-theme', theme)
      for (const s of SCREENS) {
        await app.go(s.id)
        if (s.id === 'tokens') await app.id(T.tokensRow).first().click()
        if (s.id === 'inventory') await app.id(T.invRow).first().click()
        if (s.id === 'keys') await app.id(T.keysRow).first().getByRole('button').click()
        if (s.id === 'accessTokens') await app.id(T.accessRow).first().getByRole('button').click()
        if (s.id === 'ssoApps') await app.id(T.ssoRow).first().getByRole('button').click()
        if (s.id === 'connections') {
          await app.id(T.connOpen).first().click()
          await expect(app.id(T.remoteRow).first()).toBeVisible()
        }
        if (s.id === 'dashboard') await expect(app.id(T.dashTimeline).locator('canvas')).toHaveCount(1)
        if (s.id === 'audit') await expect(app.id(T.auditRow).first()).toBeVisible()
        await app.screenshot(`${theme}-${s.id}`)
        await app.expectAccessible()
      }
    }
  } finally {
    await fess.close()
  }
})
