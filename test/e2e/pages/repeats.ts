import type { Page } from '@playwright/test'

/** The attribute that marks a table row as a repeat of one checked already; checks skip rows that carry it. */
export const REPEAT_ATTR = 'data-check-repeat'

/**
 * Marks every table or list row whose markup repeats an earlier row of the same body: the same tags, classes and
 * state attributes all the way down, so the same styles and roles. Axe and the contrast check then look at one row of
 * each kind instead of a hundred rows of one; a row that differs in anything styled (selected, disabled, a badge) is
 * still checked. Answers how many rows were marked.
 */
export function markRepeatedRows(page: Page): Promise<number> {
  return page.evaluate((attr) => {
    const STATE = [
      'aria-selected',
      'aria-current',
      'aria-disabled',
      'aria-expanded',
      'aria-pressed',
      'disabled',
      'role'
    ]
    const shape = (el: Element) =>
      `${el.tagName}.${el.className}[${STATE.map((a) => el.getAttribute(a) ?? '').join(',')}]`
    let marked = 0
    for (const body of document.querySelectorAll('tbody, .vbody, [role="rowgroup"]')) {
      const seen = new Set<string>()
      for (const row of body.children) {
        const key = [row, ...row.querySelectorAll('*')].map(shape).join(' ')
        if (seen.has(key)) {
          row.setAttribute(attr, '')
          marked++
        } else seen.add(key)
      }
    }
    return marked
  }, REPEAT_ATTR)
}

/** Removes the marks, so a later step sees the page as the user does. */
export function unmarkRows(page: Page): Promise<void> {
  return page.evaluate((attr) => {
    for (const el of document.querySelectorAll(`[${attr}]`)) el.removeAttribute(attr)
  }, REPEAT_ATTR)
}
