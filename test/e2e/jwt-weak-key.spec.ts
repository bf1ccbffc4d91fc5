import { readFileSync } from 'node:fs'
import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { JwtPage } from './pages/jwt.page'

// jwt.io's own example: HS256 with the 19-byte secret `your-256-bit-secret`.
const JWT_IO =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'

test("verify: jwt.io's example token verifies with its short secret and a visible weak-key warning", async ({
  app
}) => {
  const jwt = new JwtPage(app)
  await jwt.open('verify')
  await app.id(T.jwtInput).fill(JWT_IO)
  await jwt.useSecret(app.id(T.jwtVerifyKey), 'your-256-bit-secret')
  await app.id(T.jwtVerifySubmit).click()
  const result = app.id(T.jwtVerifyResult)
  await expect(result).toContainText('signature valid')
  await expect(result).toContainText('"name": "John Doe"')
  await expect(result.getByTestId(T.jwtWarning)).toContainText(/weak key/i)
})

test('bulk mint: a weak secret is offered "allow", each run gets a fresh file name, an existing file needs Replace', async ({
  app,
  serve
}) => {
  const jwt = new JwtPage(app)
  await jwt.open('bulk')
  await jwt.useSecret(app.page.locator('fieldset.keypicker'), 'short-secret')
  await app.id(T.field('count')).fill('10')
  const first = await app.id(T.jwtBulkFile).inputValue()
  expect(first).toMatch(/minted-[\d-]+T[\d-]+\.jsonl$/)
  // Minting with a weak key is an explicit choice, offered right here.
  await app.page.getByLabel('Allow the weak key (tests only)').check()
  await app.id(T.jwtBulkStart).click()
  await expect(app.id(T.jwtBulkStatus)).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(app.id(T.jwtBulkStatus)).toContainText(`10 tokens written to ${first}`)
  expect(readFileSync(first, 'utf8').trim().split('\n')).toHaveLength(10)

  // The next run proposes a new file instead of failing on the one just written.
  await expect(app.id(T.jwtBulkFile)).not.toHaveValue(first)
  await app.id(T.jwtBulkFile).fill(first)
  await app.id(T.field('count')).fill('3')
  await app.id(T.jwtBulkStart).click()
  await expect(app.id(T.error('jwt-bulk'))).toContainText('already exists')
  await app.page.getByLabel('Replace the file if it exists').check()
  await app.id(T.jwtBulkStart).click()
  await expect(app.id(T.jwtBulkStatus)).toContainText(`3 tokens written to ${first}`)
  expect(readFileSync(first, 'utf8').trim().split('\n')).toHaveLength(3)
  expect((await rpc(serve, 'system:status', {})).dataDir).toBeTruthy()
})
