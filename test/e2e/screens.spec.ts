import { test, expect, rpc, type ServeHandle } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { SCREENS } from '../../src/renderer/src/stores/ui.store'
import { startFessEmulator } from '../emulators/fess'
import { COLOUR_RULES, type ConsolePage } from './pages/console.page'
import { lowContrastTexts } from './pages/contrast'

/**
 * Every screen, with data in it and its detail pane open, at 1280x800 and then 900x600 (the same page resized), in the
 * light theme and the dark one: no horizontal page scroll (long values ellipsize, panes stack when narrow) and a
 * screenshot at both sizes; axe-core clean (serious and critical; the dark theme re-runs the colour rules only, as a
 * theme swaps the palette and nothing else) and text in buttons, links, fields and rows at 4.5:1 or more in its normal,
 * hover and focus states (disabled ones included) at 1280x800: the stylesheet's media queries only change grid columns,
 * so the DOM and its colours, all that axe and the contrast measure read, are those of the wide layout. The theme
 * follows the system colour scheme, switched in place. Table rows that repeat an earlier row's markup are checked once
 * (pages/repeats.ts). The screenshots land in artifacts/screens.
 */
const LONG = 'a-very-long-name-that-keeps-going-and-going-for-the-layout-0123456789'
const SIZES = [
  { width: 1280, height: 800 },
  { width: 900, height: 600 }
]

async function arrange(serve: ServeHandle, fessUrl: string, fessToken: string) {
  const { jobId } = await rpc(serve, 'tokens:seed', { count: 300, seed: 9 })
  while ((await rpc(serve, 'jobs:get', { id: jobId })).state === 'running') await new Promise((r) => setTimeout(r, 100))
  await rpc(serve, 'keys:generate', { name: 'tour-es', alg: 'ES256' })
  await rpc(serve, 'accessTokens:add', { name: LONG.slice(0, 60), permissions: [`{role}${LONG}`, `{user}${LONG}`] })
  await rpc(serve, 'ssoApps:add', { name: 'tourapp', secret: 'tour-secret-0123456789abcdef0123456789' })
  await rpc(serve, 'connections:add', {
    name: 'tour-fess',
    kind: 'fess',
    baseUrl: fessUrl,
    authMethod: 'token',
    credential: fessToken
  })
  // A long target id in the audit log (the recent-activity and Audit tables).
  await rpc(serve, 'tokens:dis', { id: LONG, version: 1 } as never).catch(() => undefined)
}

/** Opens a screen the way a user leaves it: a row's detail pane open, the remote list loaded. */
async function openScreen(app: ConsolePage, id: string) {
  await app.go(id)
  if (id === 'tokens') await app.id(T.tokensRow).first().click()
  if (id === 'inventory') await app.id(T.invRow).first().click()
  if (id === 'keys') await app.id(T.keysRow).first().getByRole('button').first().click()
  if (id === 'accessTokens') await app.id(T.accessRow).first().getByRole('button').first().click()
  if (id === 'ssoApps') await app.id(T.ssoRow).first().getByRole('button').first().click()
  if (id === 'connections') {
    await app.id(T.connOpen).first().click()
    await expect(app.id(T.remoteRow).first()).toBeVisible()
  }
  if (id === 'dashboard') {
    await app.page.getByRole('button', { name: 'Refresh' }).click()
    await expect(app.id(T.dashTimeline).locator('canvas')).toHaveCount(1)
    await expect(app.id(T.dashRecent).locator('tbody tr').first()).toBeVisible()
  }
  if (id === 'audit') await expect(app.id(T.auditRow).first()).toBeVisible()
}

/** The page, and the list beside a detail pane (a list wider than its column runs under the pane), scrolled sideways. */
async function overflows(app: ConsolePage): Promise<string[]> {
  return app.page.evaluate(() => {
    const right = document.querySelector('.main')!.getBoundingClientRect().right
    const out = [...document.querySelectorAll('.main *')].filter((e) => e.getBoundingClientRect().right > right + 1)
    // Name the innermost elements sticking out on the right, so a failure says what to fix.
    const culprit = out
      .filter((e) => !out.some((o) => o !== e && e.contains(o)))
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
      .join(', ')
    return ['html', '.main', '.split > :first-child'].flatMap((sel) =>
      [...document.querySelectorAll(sel)]
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => `${sel}: ${el.scrollWidth} > ${el.clientWidth} (${culprit})`)
    )
  })
}

// Two halves of the screens, so the two tests spread over the workers.
const HALVES = [0, 1].map((half) => SCREENS.filter((_, i) => i % 2 === half))
const [WIDE, NARROW] = SIZES

for (const screens of HALVES) {
  test(`${screens.map((s) => s.id).join(', ')} at ${SIZES.map((z) => `${z.width}x${z.height}`).join(' and ')}, light and dark: no sideways scroll, axe clean, readable in every state`, async ({
    app,
    serve,
    page
  }) => {
    test.setTimeout(180_000)
    const fess = await startFessEmulator({ tokens: 4, seed: 2 })
    try {
      await arrange(serve, fess.url, fess.adminToken)
      const problems: string[] = []
      for (const s of screens) {
        await page.setViewportSize(WIDE)
        await page.emulateMedia({ colorScheme: 'light' })
        await openScreen(app, s.id)
        for (const size of SIZES) {
          await page.setViewportSize(size)
          for (const theme of ['light', 'dark'] as const) {
            await page.emulateMedia({ colorScheme: theme })
            await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
            await page.mouse.move(0, 0)
            const where = `${size.width}x${size.height} ${theme} ${s.id}`
            await app.screenshot(`${size.width}x${size.height}-${theme}-${s.id}`)
            for (const o of await overflows(app)) problems.push(`${where} overflow ${o}`)
            if (size === NARROW) continue
            for (const v of await app.accessibilityViolations(theme === 'light' ? undefined : COLOUR_RULES))
              problems.push(`${where} axe ${v}`)
            for (const c of await lowContrastTexts(page)) problems.push(`${where} contrast ${c}`)
          }
        }
      }
      expect(problems).toEqual([])
    } finally {
      await fess.close()
    }
  })
}
