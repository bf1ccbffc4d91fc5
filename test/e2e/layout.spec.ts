import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { SCREENS } from '../../src/renderer/src/stores/ui.store'
import { startFessEmulator } from '../emulators/fess'

/**
 * No screen scrolls the page sideways at 900x600 or wider, in either theme, with long values in every table and the
 * detail panes open: long values ellipsize (the full value stays on hover) and panes stack when the window is narrow.
 */
const LONG = 'a-very-long-name-that-keeps-going-and-going-for-the-layout-0123456789'

for (const size of [
  { width: 900, height: 600 },
  { width: 1280, height: 800 }
]) {
  test(`no horizontal page scroll on any screen at ${size.width}x${size.height}, light and dark`, async ({ app, serve, page }) => {
    test.setTimeout(240_000)
    const fess = await startFessEmulator({ tokens: 4, seed: 2 })
    try {
      const { jobId } = await rpc(serve, 'tokens:seed', { count: 200, seed: 5 })
      for (;;) {
        if ((await rpc(serve, 'jobs:get', { id: jobId })).state !== 'running') break
        await new Promise((r) => setTimeout(r, 100))
      }
      await rpc(serve, 'keys:generate', { name: 'layout-es', alg: 'ES256' })
      await rpc(serve, 'accessTokens:add', { name: LONG.slice(0, 60), permissions: [`{role}${LONG}`, `{user}${LONG}`] })
      await rpc(serve, 'ssoApps:add', { name: 'layoutapp', secret: 'layout-secret-0123456789abcdef0123456789' })
      await rpc(serve, 'connections:add', { name: 'layout-fess', kind: 'fess', baseUrl: fess.url, authMethod: 'token', credential: fess.adminToken })
      // A long target id in the audit log (the recent-activity and Audit tables).
      await rpc(serve, 'tokens:get', { id: LONG }).catch(() => undefined)
      await rpc(serve, 'tokens:dis', { id: LONG, version: 1 } as never).catch(() => undefined)
      await page.setViewportSize(size)

      const overflows: string[] = []
      for (const theme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: theme })
        for (const s of SCREENS) {
          await app.go(s.id)
          await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
          if (s.id === 'tokens') await app.id(T.tokensRow).first().click()
          if (s.id === 'inventory') await app.id(T.invRow).first().click()
          if (s.id === 'keys') await app.id(T.keysRow).first().getByRole('button').first().click()
          if (s.id === 'accessTokens') await app.id(T.accessRow).first().getByRole('button').first().click()
          if (s.id === 'ssoApps') await app.id(T.ssoRow).first().getByRole('button').first().click()
          if (s.id === 'connections') {
            await app.id(T.connOpen).first().click()
            await expect(app.id(T.remoteRow).first()).toBeVisible()
          }
          if (s.id === 'audit') await expect(app.id(T.auditRow).first()).toBeVisible()
          if (s.id === 'dashboard') await page.getByRole('button', { name: 'Refresh' }).click()
          if (s.id === 'dashboard') await expect(app.id(T.dashRecent).locator('tbody tr').first()).toBeVisible()
          const widths = await page.evaluate(() =>
            // The page itself, and the list beside a detail pane (a list wider than its column runs under the pane).
            ['html', '.main', '.split > :first-child'].flatMap((sel) =>
              [...document.querySelectorAll(sel)].map((el) => ({ sel, scroll: el.scrollWidth, client: el.clientWidth }))
            )
          )
          // Name the widest element sticking out on the right, so a failure says what to fix.
          const culprit = await page.evaluate(() => {
            const right = document.querySelector('.main')!.getBoundingClientRect().right
            const out = [...document.querySelectorAll('.main *')].filter((e) => e.getBoundingClientRect().right > right + 1)
            const last = out.filter((e) => !out.some((o) => o !== e && e.contains(o)))
            return last.slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`).join(', ')
          })
          for (const w of widths) if (w.scroll > w.client + 1) overflows.push(`${theme} ${s.id} ${w.sel}: ${w.scroll} > ${w.client} (${culprit})`)
        }
      }
      expect(overflows).toEqual([])
    } finally {
      await fess.close()
    }
  })
}
