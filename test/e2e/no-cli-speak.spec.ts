import { test, expect } from './fixtures'

// The console names its own controls: no command-line flags in what a form shows.
const FLAG = /(^|\s|\()--[a-z][a-z-]*/m

const forms: { screen: string; open: string }[] = [
  { screen: 'keys', open: 'Generate…' },
  { screen: 'keys', open: 'Import…' },
  { screen: 'accessTokens', open: 'New access token…' },
  { screen: 'ssoApps', open: 'New SSO app…' },
  { screen: 'connections', open: 'Add connection…' }
]

test(`no CLI flags in the forms behind ${forms.map((f) => `"${f.open}"`).join(', ')}`, async ({ app, page }) => {
  // One page for all the forms; each is checked on its own (a soft failure names the form) and closed again.
  for (const f of forms) {
    await app.go(f.screen)
    await page.getByRole('button', { name: f.open }).click()
    const dialog = page.getByRole('dialog')
    await expect(dialog, `the ${f.screen} form behind "${f.open}"`).toBeVisible()
    expect.soft(await dialog.innerText(), `CLI flags in the ${f.screen} form behind "${f.open}"`).not.toMatch(FLAG)
    await page.keyboard.press('Escape')
    await expect(dialog).toHaveCount(0)
  }
})

test('the key name hint says what the name is for in console words', async ({ app, page }) => {
  await app.go('keys')
  await page.getByRole('button', { name: 'Generate…' }).click()
  await expect(page.getByRole('dialog')).toContainText('the name other screens choose this key by')
})
