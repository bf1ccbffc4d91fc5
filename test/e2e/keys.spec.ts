import { generateKeyPairSync } from 'node:crypto'
import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { KeysPage } from './pages/keys.page'
import { JwtPage } from './pages/jwt.page'
import { AuditPage } from './pages/audit.page'

test('keys: import a pasted PEM, sign with it, verify, export, delete', async ({ app, serve, page }) => {
  const keys = new KeysPage(app)
  await keys.open()

  // Bad input: a name the contract refuses shows the field's message and sends nothing.
  const importCalls: string[] = []
  page.on('request', (r) => {
    if (r.url().includes('/rpc/keys:import')) importCalls.push(r.url())
  })
  await keys.importText('bad name with spaces', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')
  await expect(app.id(T.fieldError('name'))).toContainText('letters, digits')
  expect(importCalls).toHaveLength(0)
  // A server error shows its coded message where the action was taken: this PEM is garbage.
  await app.id(T.field('name')).fill('garbage')
  await app.id(T.keyImportSubmit).click()
  await expect(app.id(T.error('key-import'))).toBeVisible()
  expect(importCalls).toHaveLength(1)
  await page.keyboard.press('Escape')

  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  await keys.importText('imported-ec', pem)
  await expect(app.toast('imported-ec imported')).toBeVisible()
  await keys.expectRow('imported-ec', 'ES256')
  await keys.expectRow('imported-ec', 'private')
  // The pasted private key is not kept anywhere on the page.
  expect(await page.content()).not.toContain(pem.split('\n')[1])

  await keys.generate('gen-hs', 'HS256')
  await keys.expectRow('gen-hs', 'HS256')

  await keys.select('imported-ec')
  await app.id(T.keyExport('jwk')).click()
  await expect(app.id(T.keyExportOutput)).toContainText('"kty": "EC"')
  await expect(app.id(T.keyExportOutput)).not.toContainText('"d"')
  await app.screenshot('keys')
  await app.expectAccessible()

  // Sign with the imported key in the workbench; the alg picker offers only what an EC P-256 key can do.
  const jwt = new JwtPage(app)
  await jwt.open('sign')
  await jwt.useStoredKey(app.id(T.jwtSignKey), 'imported-ec')
  await expect(app.id(T.jwtSignAlg).locator('option')).toHaveText(['ES256'])
  await app.id(T.jwtSignClaims).fill('{ "sub": "bob", "role": "tester" }')
  await app.id(T.jwtSignSubmit).click()
  const token = await jwt.signedToken()
  expect(token.split('.')).toHaveLength(3)

  // The server agrees the signature is good (the UI is not just echoing).
  const verified = await rpc(serve, 'jwt:verify', { token, algorithms: ['ES256'], key: { keyName: 'imported-ec' } })
  expect(verified.payload).toMatchObject({ sub: 'bob', role: 'tester' })

  // ... and so does the workbench's Verify tab.
  await jwt.tab('verify')
  await app.id(T.jwtInput).fill(token)
  await jwt.useStoredKey(app.id(T.jwtVerifyKey), 'imported-ec')
  await app.id(T.jwtVerifySubmit).click()
  await expect(app.id(T.jwtVerifyResult)).toContainText('signature valid')

  // Delete asks first; Cancel keeps the key.
  await keys.open()
  await keys.select('gen-hs')
  await app.id(T.keyDelete).click()
  await app.id(T.confirmCancel).click()
  await expect(keys.row('gen-hs')).toHaveCount(1)
  await app.id(T.keyDelete).click()
  await app.confirm()
  await expect(keys.row('gen-hs')).toHaveCount(0)

  const audit = new AuditPage(app)
  await audit.open()
  await audit.expectRow({ action: 'keys:import', outcome: 'ok' })
  await audit.expectRow({ action: 'keys:delete', outcome: 'ok' })
})
