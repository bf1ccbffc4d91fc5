import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, expect, rpc } from './fixtures'
import { startFessEmulator } from '../emulators/fess'
import { startDataforEmulator } from '../emulators/datafor'

// jwt.io's own example: HS256 with the 19-byte secret `your-256-bit-secret`.
const JWT_IO =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'

/**
 * An admin's first hour with no CLI at all, driven by what a user sees (roles, labels, visible text): from an empty
 * store to a seeded one, through the lifecycle, the JWT workbench, a Datafor login, a Fess server and an export.
 * The test process only reads the servers' side to check what the console did.
 */
test("an admin's first hour in the console, no CLI", async ({ app, serve, dataDir }) => {
  const page = app.page
  test.setTimeout(240_000)
  const fess = await startFessEmulator({ tokens: 2, seed: 3 })
  const df = await startDataforEmulator({ configs: 1 })
  try {
    const nav = page.getByRole('navigation', { name: 'Screens' })
    const screen = (name: string) => nav.getByRole('link', { name, exact: true }).click()

    // 1. The empty store offers its first steps; seed demo data from there.
    await screen('Tokens')
    const start = page.getByRole('region', { name: 'Your store is empty: get started' })
    await start.getByRole('button', { name: 'Seed demo data' }).click()
    await expect(page.getByText('500 demo tokens made')).toBeVisible({ timeout: 60_000 })
    const grid = page.getByRole('grid', { name: 'Tokens' })
    await expect(grid.getByRole('row').nth(1)).toBeVisible()

    // 2. Find a token by its id (the id a colleague pasted into a ticket).
    const wanted = (await rpc(serve, 'tokens:list', { sort: 'created', limit: 300 })).items.at(-1)!
    const search = page.getByRole('searchbox', { name: 'Search name, brief or id' })
    await search.fill(wanted.id)
    await expect(grid.getByRole('checkbox', { name: /^Select (?!all)/ })).toHaveCount(1)
    await grid.getByRole('row').filter({ hasText: wanted.name }).getByRole('gridcell').nth(1).click()
    const detail = page.getByRole('complementary', { name: `Token ${wanted.name}` })
    await expect(detail).toContainText(wanted.id)

    // 3. Renew it: a preset, saved from the detail pane.
    const renew = detail.getByRole('form', { name: 'Renew' })
    await renew.getByRole('button', { name: '+90 days' }).click()
    await renew.getByRole('button', { name: 'Renew', exact: true }).click()
    await expect(page.getByText(`Token '${wanted.name}' renewed until`)).toBeVisible()
    const renewed = await rpc(serve, 'tokens:get', { id: wanted.id })
    expect(renewed.expire * 1000).toBeGreaterThan(Date.now() + 89 * 86400_000)
    await page.keyboard.press('Escape')
    await expect(detail).toBeHidden()

    // 4. Bulk-disable a selection of enabled tokens: one confirmation, then progress.
    await search.fill('')
    await page.getByRole('search').getByLabel('State').selectOption('enabled')
    await page.getByRole('search').getByLabel('Online').selectOption('offline')
    const boxes = grid.getByRole('checkbox', { name: /^Select (?!all)/ })
    await expect(boxes.nth(2)).toBeVisible()
    const picked: string[] = []
    for (let i = 0; i < 3; i++) {
      await boxes.nth(i).check()
      picked.push(((await boxes.nth(i).getAttribute('aria-label')) ?? '').replace(/^Select /, ''))
    }
    const bar = page.getByRole('toolbar', { name: 'Selected tokens' })
    await expect(bar).toContainText('3 selected')
    await bar.getByRole('button', { name: 'Disable (DIS)' }).click()
    const confirm = page.getByRole('dialog', { name: 'Disable (DIS): 3 tokens?' })
    await confirm.getByLabel('Reason (optional)').fill('first-hour check')
    await confirm.getByRole('button', { name: 'Disable (DIS) 3' }).click()
    await expect(page.getByRole('dialog', { name: 'Disable (DIS) on 3 tokens' })).toContainText(
      'All 3 tokens disabled.'
    )
    await expect(page.getByText('3 of 3 tokens disabled')).toBeVisible()
    await page.getByRole('dialog', { name: 'Disable (DIS) on 3 tokens' }).getByRole('button', { name: 'Done' }).click()
    const disabled = (await rpc(serve, 'tokens:list', { state: 'disabled', limit: 500 })).items.filter(
      (t) => t.stato === 'first-hour check'
    )
    expect(disabled.map((t) => t.name).sort()).toEqual([...picked].sort())

    // 5. Verify jwt.io's example token with its (short) secret: valid, with a weak-key warning.
    await screen('JWT')
    await page.getByRole('tab', { name: 'Verify' }).click()
    const verify = page.getByRole('tabpanel', { name: 'Verify' })
    await verify.getByLabel('Token', { exact: true }).fill(JWT_IO)
    await verify.getByLabel('Pasted secret').check()
    await verify.getByLabel('HMAC secret').fill('your-256-bit-secret')
    await verify.getByRole('button', { name: 'Verify', exact: true }).click()
    await expect(verify.getByText('signature valid')).toBeVisible()
    await expect(verify.getByText(/weak key/i).first()).toBeVisible()

    // 6. A Datafor server: add the connection, an SSO app with its secret, mint, open the login URL: it logs in.
    await screen('Connections')
    await addConnection(page, {
      name: 'bi',
      kind: 'datafor',
      baseUrl: df.url,
      auth: 'basic',
      user: df.admin.username,
      secret: df.admin.password
    })
    await screen('SSO apps')
    await page.getByRole('button', { name: 'New SSO app…' }).click()
    const ssoForm = page.getByRole('dialog')
    await ssoForm.getByLabel('Name', { exact: true }).fill('ERP1')
    await ssoForm.getByLabel('Secret', { exact: true }).fill(df.state.configs.get('ERP1')!.secret)
    await ssoForm.getByLabel('Claim for the login name').fill('loginname')
    await ssoForm.getByRole('button', { name: /^(Create|Save)/ }).click()
    await expect(page.getByText(/SSO app ERP1 created/)).toBeVisible()
    await page.getByRole('button', { name: 'ERP1', exact: true }).click()
    const mint = page.getByRole('region', { name: 'Mint a test token' })
    await mint.getByLabel('Login name (claim "loginname")').fill('admin')
    await expect(mint.getByLabel('Datafor base URL (for the login URL)')).toHaveValue(df.url)
    await mint.getByLabel('Report id').fill('sales-2026')
    await mint.getByRole('button', { name: 'Mint', exact: true }).click()
    const [report] = await Promise.all([
      page.context().waitForEvent('page'),
      mint.getByRole('link', { name: 'Open login URL' }).click()
    ])
    await expect(report.getByText('Signed in as admin')).toBeVisible()
    await report.close()
    expect(df.state.logins.at(-1)).toMatchObject({ report: 'sales-2026', config: 'ERP1', ok: true })

    // 7. A Fess server: add it, create a token there, reveal and copy it, then delete it.
    await screen('Connections')
    await addConnection(page, {
      name: 'search',
      kind: 'fess',
      baseUrl: fess.url,
      auth: 'token',
      secret: fess.adminToken
    })
    const conn = page.getByRole('region', { name: 'Connection search' })
    await conn.getByRole('button', { name: 'Test', exact: true }).click()
    await expect(conn.getByText(/Connected/)).toBeVisible()
    await conn.getByRole('button', { name: 'New token on the server…' }).click()
    const remoteForm = page.getByRole('dialog', { name: 'New token on search' })
    await remoteForm.getByLabel('Name', { exact: true }).fill('crawler-bot')
    await remoteForm.getByLabel('Permissions (one per line)').fill('{role}guest')
    await remoteForm.getByRole('button', { name: 'Create on the server' }).dblclick()
    await expect(page.getByText('Fess token crawler-bot created on the server')).toBeVisible()
    await expect.poll(() => [...fess.state.items.values()].filter((i) => i.name === 'crawler-bot').length).toBe(1)
    const created = [...fess.state.items.values()].find((i) => i.name === 'crawler-bot')!
    const table = page.getByRole('table', { name: 'Access tokens on search' })
    const row = table.getByRole('row').filter({ hasText: 'crawler-bot' })
    await page.evaluate(() => {
      ;(window as unknown as { copied: string[] }).copied = []
      document.addEventListener('copy', () =>
        (window as unknown as { copied: string[] }).copied.push(String(document.getSelection()))
      )
    })
    await row.getByRole('button', { name: 'Reveal crawler-bot' }).click()
    await expect(row).toContainText(created.token)
    await row.getByRole('button', { name: 'Copy', exact: true }).click()
    await expect(page.getByText('Copied to the clipboard')).toBeVisible()
    expect(await page.evaluate(() => (window as unknown as { copied: string[] }).copied)).toEqual([created.token])
    await row.getByRole('button', { name: 'Hide crawler-bot' }).click()
    await expect(row).not.toContainText(created.token)
    await row.getByRole('checkbox').check()
    await conn.getByRole('button', { name: /^Delete/ }).click()
    const del = page.getByRole('dialog').filter({ hasText: 'crawler-bot' })
    await del.getByRole('button', { name: /^Delete/ }).click()
    await expect(row).toHaveCount(0)
    await expect.poll(() => fess.state.items.has(created.id)).toBe(false)

    // 8. Export the whole store to CSV, and download the file.
    await screen('Tokens')
    await page.getByRole('button', { name: 'Export…' }).click()
    const exp = page.getByRole('dialog', { name: 'Export the store' })
    const file = join(dataDir, 'first-hour.csv')
    await exp.getByLabel('File path (on the machine TokenDesk runs on)').fill(file)
    await exp.getByRole('radio', { name: /^CSV/ }).check()
    await exp.getByRole('button', { name: 'Export', exact: true }).click()
    await expect(page.getByText(`Exported 500 records to ${file}`)).toBeVisible()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exp.getByRole('link', { name: 'Download first-hour.csv' }).click()
    ])
    const csv = readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\r\n')
    expect(csv).toHaveLength(501)
    expect(csv.some((l) => l.startsWith(`${wanted.id},`))).toBe(true)
  } finally {
    await fess.close()
    await df.close()
  }
})

async function addConnection(
  page: import('@playwright/test').Page,
  c: { name: string; kind: string; baseUrl: string; auth: string; user?: string; secret: string }
) {
  await page.getByRole('button', { name: 'Add connection…' }).click()
  const form = page.getByRole('dialog')
  await form.getByLabel('Name', { exact: true }).fill(c.name)
  await form.getByLabel('Server kind').selectOption(c.kind)
  await form.getByLabel('Base URL').fill(c.baseUrl)
  await form.getByLabel('Authentication').selectOption(c.auth)
  if (c.user) await form.getByLabel('User', { exact: true }).fill(c.user)
  await form.getByLabel(c.auth === 'token' ? 'Access token' : 'Password', { exact: true }).fill(c.secret)
  await form.getByRole('button', { name: /^Save/ }).click()
  await expect(page.getByText(`Connection ${c.name} saved`)).toBeVisible()
}
