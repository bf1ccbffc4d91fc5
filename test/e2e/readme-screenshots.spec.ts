import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { test, expect, rpc } from './fixtures'
import { ROOT } from './serve'
import { T } from '../../src/renderer/src/testids'

/**
 * The README's three screenshots (docs/screenshots), taken from the built console with demo data in the light theme.
 * `TOKENDESK_README_SHOTS=1` writes them into docs/screenshots (docs/development.md, "Screenshots"); otherwise they
 * land in artifacts/screens/readme, so the suite keeps proving they can be taken.
 */
const DIR = process.env.TOKENDESK_README_SHOTS
  ? join(ROOT, 'docs', 'screenshots')
  : join(ROOT, 'artifacts', 'screens', 'readme')

test('the README screenshots: Dashboard, Tokens with a detail pane, the JWT workbench explaining a token', async ({
  app,
  serve,
  page
}) => {
  test.setTimeout(120_000)
  mkdirSync(DIR, { recursive: true })
  await page.setViewportSize({ width: 1400, height: 860 })
  await page.emulateMedia({ colorScheme: 'light' })
  const { jobId } = await rpc(serve, 'tokens:seed', { count: 500, seed: 2026 })
  while ((await rpc(serve, 'jobs:get', { id: jobId })).state === 'running') await new Promise((r) => setTimeout(r, 100))
  await rpc(serve, 'keys:generate', { name: 'erp-signing', alg: 'ES256' })
  const { token } = await rpc(serve, 'jwt:sign', {
    alg: 'ES256',
    key: { keyName: 'erp-signing' },
    iss: 'https://sso.example.com',
    sub: 'alice',
    aud: 'erp',
    expiresIn: '8h',
    claims: { name: 'Alice Example', roles: ['report-viewer'] }
  })
  const shot = async (name: string) => {
    // Nothing transient in a picture meant to last: no toast, no hover.
    await page.mouse.move(0, 0)
    await expect(app.id(T.toast)).toHaveCount(0, { timeout: 15_000 })
    await page.screenshot({ path: join(DIR, `console-${name}.png`) })
  }

  await app.go('dashboard')
  await page.getByRole('button', { name: 'Refresh' }).click()
  await expect(app.id(T.dashTimeline).locator('canvas')).toHaveCount(1)
  await expect(app.id(T.dashRecent).locator('tbody tr').first()).toBeVisible()
  await shot('dashboard')

  await app.go('tokens')
  await app.id(T.tokensRow).nth(2).click()
  await expect(app.id(T.tokenDetail)).toBeVisible()
  await shot('tokens')

  await app.go('jwt')
  await page.getByRole('tab', { name: 'Decode & explain' }).click()
  await page.getByLabel('Token (paste a JWT)').fill(token)
  await page.getByLabel('Token (paste a JWT)').blur()
  await expect(page.getByRole('tabpanel')).toContainText('Alice Example')
  await shot('jwt')
})
