import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { TokensPage } from './pages/tokens.page'
import { JwtPage } from './pages/jwt.page'

async function seed(serve: Parameters<typeof rpc>[0], count: number) {
  const { jobId } = await rpc(serve, 'tokens:seed', { count, seed: 7 })
  while ((await rpc(serve, 'jobs:get', { id: jobId })).state === 'running') await new Promise((r) => setTimeout(r, 100))
}

test('export the tokens as CSV and download the file from the web console', async ({ app, serve, page, dataDir }) => {
  await seed(serve, 40)
  const tokens = new TokensPage(app)
  await tokens.open()
  await page.getByRole('button', { name: 'Export…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Export the store' })
  const file = join(dataDir, 'tokens.csv')
  await dialog.getByLabel('File path (on the machine TokenDesk runs on)').fill(file)
  await dialog.getByRole('radio', { name: /^CSV/ }).check()
  await dialog.getByRole('button', { name: 'Export' }).click()
  await expect(app.toast(`Exported 40 records to ${file}`)).toBeVisible()

  const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n')
  expect(lines).toHaveLength(41)
  expect(lines[0]).toMatch(/^id,name,brief,avatar,typ,aud,/)
  const first = (await rpc(serve, 'tokens:list', { sort: 'created', limit: 1 })).items[0]
  expect(lines.some((l) => l.startsWith(`${first.id},`))).toBe(true)

  const link = dialog.getByRole('link', { name: 'Download tokens.csv' })
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
  expect(download.suggestedFilename()).toBe('tokens.csv')
  expect(readFileSync((await download.path())!, 'utf8')).toBe(readFileSync(file, 'utf8'))

  // Only with the session, and only a file a finished job wrote: no token, no arbitrary path.
  const href = (await link.getAttribute('href'))!
  expect((await fetch(new URL(href, serve.url))).status).toBe(401)
  expect((await page.request.get(new URL('/download/..%2F..%2Fetc%2Fpasswd', serve.url).href)).status()).toBe(404)
  expect(
    (await page.request.get(new URL('/download/00000000-0000-0000-0000-000000000000', serve.url).href)).status()
  ).toBe(404)
  const seedJob = (await rpc(serve, 'jobs:list', {})).find((j) => j.kind === 'tokens:seed')!
  expect((await page.request.get(new URL(`/download/${seedJob.id}`, serve.url).href)).status()).toBe(404)
})

test('bulk mint offers its file as a download in the web console', async ({ app, page, dataDir }) => {
  const jwt = new JwtPage(app)
  await jwt.open('bulk')
  await jwt.useSecret(page.locator('fieldset.keypicker'), 'a-secret-long-enough-for-hs256-signing!!')
  await app.id(T.field('count')).fill('5')
  const out = join(dataDir, 'minted.jsonl')
  await app.id(T.jwtBulkFile).fill(out)
  await app.id(T.jwtBulkStart).click()
  await expect(app.id(T.jwtBulkStatus)).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download minted.jsonl' }).click()
  ])
  expect(download.suggestedFilename()).toBe('minted.jsonl')
  expect(
    readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n')
  ).toHaveLength(5)
})
