import { test, expect } from './fixtures'
import { T } from '../../src/renderer/src/testids'

// Without a CJK font every ideograph draws as the same .notdef box: two different characters render identically.
async function glyphsDiffer(page: import('@playwright/test').Page, a: string, b: string): Promise<boolean> {
  return page.evaluate(
    ([x, y]) => {
      const draw = (ch: string) => {
        const c = document.createElement('canvas')
        c.width = 64
        c.height = 64
        const g = c.getContext('2d')!
        g.font = `48px ${getComputedStyle(document.body).fontFamily}`
        g.fillText(ch, 4, 52)
        return Array.from(g.getImageData(0, 0, 64, 64).data).join(',')
      }
      return draw(x) !== draw(y)
    },
    [a, b]
  )
}

test('a CJK name renders in the console: the access token row shows real glyphs', async ({ app, page }) => {
  const name = '検索トークン'
  await app.go('accessTokens')
  await app.id(T.accessNew).click()
  await app.id(T.accessForm).getByLabel('Name', { exact: true }).fill(name)
  await app.id(T.accessSubmit).click()
  await expect(app.toast(`Access token ${name} created`)).toBeVisible()
  const cell = app.id(T.accessRow).getByText(name, { exact: true })
  await expect(cell).toBeVisible()
  const box = await cell.boundingBox()
  expect(box?.width ?? 0).toBeGreaterThan(0)
  expect(await glyphsDiffer(page, '検', '索')).toBe(true)
  await app.screenshot('cjk-access-token')
})
