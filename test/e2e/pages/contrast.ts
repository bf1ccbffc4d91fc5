import type { Page } from '@playwright/test'
import { markRepeatedRows, REPEAT_ATTR, unmarkRows } from './repeats'

/** What a user hovers, focuses or clicks: the states whose text must stay readable. */
const INTERACTIVE =
  'button, a[href], [role="tab"], [role="button"], input, select, textarea, summary, .vrow, tbody tr, .nav-link'

export type TextState = 'normal' | 'hover' | 'focus'

/**
 * Forces CSS states (:hover, or :focus with :focus-visible) on every interactive element at once through the DevTools
 * protocol, so one evaluation measures a whole screen instead of hovering each control in turn.
 */
async function stateForcer(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('DOM.enable')
  await cdp.send('CSS.enable')
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 })
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', {
    nodeId: root.nodeId,
    selector: `:is(${INTERACTIVE}):not([${REPEAT_ATTR}], [${REPEAT_ATTR}] *)`
  })
  const force = (classes: string[]) =>
    Promise.all(
      nodeIds.map((nodeId) =>
        cdp
          .send('CSS.forcePseudoState', {
            nodeId,
            forcedPseudoClasses: classes
          })
          .catch(() => undefined)
      )
    )
  // A fresh session starts with nothing forced, so 'normal' costs nothing until a state was forced.
  let forced = false
  return {
    set: async (state: TextState) => {
      if (state === 'normal' && !forced) return
      forced = state !== 'normal'
      await force(state === 'hover' ? ['hover'] : state === 'focus' ? ['focus', 'focus-visible', 'focus-within'] : [])
    },
    release: async () => {
      // Disabling the CSS domain drops every forced state at once.
      await cdp.send('CSS.disable')
      await cdp.detach()
    }
  }
}

/**
 * WCAG 2 contrast of every visible text inside interactive elements (enabled and disabled) in the given state,
 * against what is really behind it (backgrounds composited up the tree, opacity included). Answers the texts
 * under `min`, described (with the state) so a failure says where to look. One DevTools session for all states.
 */
export async function lowContrastTexts(
  page: Page,
  states: TextState[] = ['normal', 'hover', 'focus'],
  min = 4.5
): Promise<string[]> {
  await markRepeatedRows(page)
  const forcer = await stateForcer(page)
  const out: string[] = []
  try {
    for (const state of states) {
      await forcer.set(state)
      for (const line of await measure(page, min)) out.push(`${state} ${line}`)
    }
    return out
  } finally {
    await forcer.release()
    await unmarkRows(page)
  }
}

function measure(page: Page, min: number): Promise<string[]> {
  return page.evaluate(
    ({ selector, min, repeat }) => {
      const parse = (c: string): number[] => {
        const m = c.match(/rgba?\(([^)]+)\)/)
        if (!m) return [0, 0, 0, 0]
        const p = m[1]
          .split(/[ ,/]+/)
          .filter(Boolean)
          .map(Number)
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]
      }
      const over = (top: number[], under: number[]) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3]))
      const lum = (c: number[]) => {
        const [r, g, b] = c.map((v) => {
          const s = v / 255
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
        })
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
      }
      const pageBg = parse(getComputedStyle(document.body).backgroundColor)
      // Backgrounds composited down the tree and opacities multiplied, each element's computed once per measure.
      const backs = new Map<Element, number[]>()
      const opacities = new Map<Element, number>()
      const backOf = (n: Element | null): number[] => {
        if (!n) return [255, 255, 255]
        let bg = backs.get(n)
        if (!bg) backs.set(n, (bg = over(parse(getComputedStyle(n).backgroundColor), backOf(n.parentElement))))
        return bg
      }
      const opacityOf = (n: Element | null): number => {
        if (!n) return 1
        let o = opacities.get(n)
        if (o === undefined) opacities.set(n, (o = Number(getComputedStyle(n).opacity) * opacityOf(n.parentElement)))
        return o
      }
      const ratioOf = (el: Element): number => {
        const bg = backOf(el)
        const opacity = opacityOf(el)
        const fg = over([...over(parse(getComputedStyle(el).color), bg), opacity], pageBg)
        const back = over([...bg, opacity], pageBg)
        const [a, b] = [lum(fg), lum(back)].sort((x, y) => y - x)
        return (a + 0.05) / (b + 0.05)
      }
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect()
        const s = getComputedStyle(el)
        return (
          r.width > 0 &&
          r.height > 0 &&
          s.visibility !== 'hidden' &&
          !el.closest('[aria-hidden="true"], canvas, .u-legend')
        )
      }
      const hasText = (el: Element) =>
        el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement
          ? (el as HTMLInputElement).value !== '' &&
            !['checkbox', 'radio', 'range', 'color', 'file'].includes((el as HTMLInputElement).type)
          : [...el.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent!.trim() !== '')
      const seen = new Set<Element>()
      const out: string[] = []
      for (const host of document.querySelectorAll(`:is(${selector}):not([${repeat}], [${repeat}] *)`)) {
        for (const el of [host, ...host.querySelectorAll('*')]) {
          if (seen.has(el) || !hasText(el) || !visible(el)) continue
          seen.add(el)
          const ratio = ratioOf(el)
          if (ratio < min) {
            const text = (
              el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement
                ? el.value
                : (el.textContent ?? '')
            )
              .trim()
              .slice(0, 30)
            const disabled = (el as HTMLButtonElement).disabled || !!el.closest(':disabled') ? ' (disabled)' : ''
            out.push(
              `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${text}"${disabled}: ${ratio.toFixed(2)}`
            )
          }
        }
      }
      return out
    },
    { selector: INTERACTIVE, min, repeat: REPEAT_ATTR }
  )
}
