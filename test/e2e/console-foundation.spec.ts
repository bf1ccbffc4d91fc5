import { test, expect, rpc } from './fixtures'
import { T } from '../../src/renderer/src/testids'

/** The shared foundation of the console: one in-flight guard for every action, and buttons readable in every state. */

test('double-clicking Create makes one access token, and the button is busy while the request is in flight', async ({
  app,
  page,
  serve
}) => {
  await app.go('accessTokens')
  let adds = 0
  let release: () => void = () => {}
  const held = new Promise<void>((r) => (release = r))
  await page.route('**/rpc/accessTokens:add', async (route) => {
    adds++
    await held
    await route.continue()
  })
  await page.getByRole('button', { name: 'New access token…' }).click()
  const form = app.id(T.accessForm)
  await form.getByLabel('Name', { exact: true }).fill('double-bot')
  const create = form.getByRole('button', { name: 'Create', exact: true })
  await create.dblclick()
  await expect(create).toBeDisabled()
  await expect(create).toHaveAttribute('aria-busy', 'true')
  release()
  await expect(app.toast('Access token double-bot created')).toBeVisible()
  const list = await rpc(serve, 'accessTokens:list', { limit: 50 })
  expect(list.items.filter((i) => i.name === 'double-bot')).toHaveLength(1)
  expect(adds).toBe(1)
})

const VARIANTS = ['', 'primary', 'danger', 'ghost', 'small', 'small primary', 'small danger', 'small ghost']

/** WCAG 2 contrast of the label against what is really behind it (backgrounds composited up the tree). */
async function contrastOf(page: import('@playwright/test').Page, id: string): Promise<number> {
  return page.evaluate((testId) => {
    const parse = (c: string): [number, number, number, number] => {
      const m = c.match(/rgba?\(([^)]+)\)/)
      if (!m) throw new Error(`unparsed colour ${c}`)
      const p = m[1]
        .split(/[ ,/]+/)
        .filter(Boolean)
        .map(Number)
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]
    }
    const over = (top: number[], under: number[]) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3]))
    const el = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`)!
    const layers: number[][] = []
    for (let n: HTMLElement | null = el; n; n = n.parentElement) layers.push(parse(getComputedStyle(n).backgroundColor))
    let bg = [255, 255, 255]
    for (const l of layers.reverse()) bg = over(l, bg)
    let opacity = 1
    for (let n: HTMLElement | null = el; n; n = n.parentElement) opacity *= Number(getComputedStyle(n).opacity)
    const fgRaw = parse(getComputedStyle(el).color)
    const pageBg = parse(getComputedStyle(document.body).backgroundColor)
    // An element's opacity blends both its label and its background into what lies under it.
    const fg = over([...over(fgRaw, bg), opacity], pageBg)
    const back = over([...bg, opacity], pageBg)
    const lum = (c: number[]) => {
      const [r, g, b] = c.map((v) => {
        const s = v / 255
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * r + 0.7152 * g + 0.0722 * b
    }
    const [a, b] = [lum(fg), lum(back)].sort((x, y) => y - x)
    return (a + 0.05) / (b + 0.05)
  }, id)
}

for (const theme of ['light', 'dark'] as const) {
  test(`every button variant keeps 4.5:1 label contrast in normal, hover, focus and disabled states (${theme})`, async ({
    app,
    page
  }) => {
    await page.emulateMedia({ colorScheme: theme })
    await app.go('tokens')
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
    // One button of each variant, enabled and disabled, placed where screens put their buttons.
    await page.evaluate((variants) => {
      const host = document.createElement('div')
      host.className = 'actions left'
      host.id = 'contrast-fixture'
      variants.forEach((v, i) => {
        for (const disabled of [false, true]) {
          const b = document.createElement('button')
          b.type = 'button'
          b.className = `btn ${v}`.trim()
          b.textContent = `Label ${i}`
          b.disabled = disabled
          b.dataset.testid = `contrast-${i}-${disabled ? 'off' : 'on'}`
          host.appendChild(b)
        }
      })
      document.querySelector('.screen-body')!.prepend(host)
    }, VARIANTS)
    const failures: string[] = []
    for (const [i, v] of VARIANTS.entries()) {
      for (const state of ['normal', 'hover', 'focus', 'disabled', 'disabled hover'] as const) {
        const id = `contrast-${i}-${state.startsWith('disabled') ? 'off' : 'on'}`
        const button = page.getByTestId(id)
        await page.mouse.move(0, 0)
        if (state.endsWith('hover')) await button.hover({ force: true })
        if (state === 'focus') await button.focus()
        const ratio = await contrastOf(page, id)
        if (ratio < 4.5) failures.push(`.btn ${v || '(plain)'} ${state}: ${ratio.toFixed(2)}`)
      }
    }
    expect(failures).toEqual([])
  })
}
