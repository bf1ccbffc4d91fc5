import AxeBuilder from '@axe-core/playwright'
import { source as axeSource } from 'axe-core'
import { expect, type Locator, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { T } from '../../../src/renderer/src/testids'
import { markRepeatedRows, REPEAT_ATTR, unmarkRows } from './repeats'

/** The axe rules that look at colours: the only ones a theme switch can change the answer of. */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block']

/** The app shell: navigation, status bar, palette, toasts, screenshots and the accessibility check. */
export class ConsolePage {
  constructor(
    readonly page: Page,
    readonly serve: { sessionUrl: string; url: string; dataDir: string }
  ) {}

  id(testId: string): Locator {
    return this.page.getByTestId(testId)
  }

  async open(hash = ''): Promise<void> {
    // The session URL sets the cookie and redirects to the bare URL (the token leaves the address bar).
    await this.page.goto(this.serve.sessionUrl)
    if (hash) await this.page.goto(`${this.serve.url}#/${hash}`)
    await expect(this.id(T.statusDataDir)).toBeVisible()
  }

  async go(screen: string): Promise<void> {
    await this.id(T.nav(screen)).click()
    await expect(this.id(T.screen(screen))).toBeVisible()
  }

  get statusBar() {
    return {
      dataDir: this.id(T.statusDataDir),
      schema: this.id(T.statusSchema),
      keychain: this.id(T.statusKeychain)
    }
  }

  toast(text: string | RegExp): Locator {
    return this.id(T.toast).filter({ hasText: text })
  }

  async confirm(): Promise<void> {
    const dlg = this.id(T.confirmDialog)
    await expect(dlg).toBeVisible()
    await this.id(T.confirmOk).click()
    await expect(dlg).toBeHidden()
  }

  async screenshot(name: string): Promise<string> {
    const dir = join(__dirname, '..', '..', '..', 'artifacts', 'screens')
    mkdirSync(dir, { recursive: true })
    const path = join(dir, `${name}.png`)
    await this.page.screenshot({ path })
    return path
  }

  /** axe-core (a well-kept library) on the current screen; serious and critical violations fail the test. */
  async expectAccessible(): Promise<void> {
    expect(await this.accessibilityViolations(), 'accessibility violations').toEqual([])
  }

  /**
   * The serious and critical axe-core violations on the current screen, one line each. `rules` narrows the run to
   * those rules (a theme switch changes colours only, so only the colour rules can answer differently).
   */
  async accessibilityViolations(rules?: string[]): Promise<string[]> {
    // One row of each shape per table: a hundred rows of one component add time, not findings.
    await markRepeatedRows(this.page)
    // axe-core's 0.5 MB source goes into the page once per document, not twice per run as AxeBuilder would send it
    // (screen changes keep the document); AxeBuilder then injects an empty script and runs the axe already there.
    if (!(await this.page.evaluate(() => 'axe' in window))) await this.page.evaluate(axeSource)
    const axe = new AxeBuilder({ page: this.page, axeSource: ';' })
    if (rules) axe.withRules(rules)
    else axe.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    // The console has no cross-origin frames: axe runs in the page itself instead of merging in a new blank page.
    const result = await axe
      .setLegacyMode()
      .exclude(`[${REPEAT_ATTR}]`)
      .analyze()
      .finally(() => unmarkRows(this.page))
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    return bad.map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')})`
    )
  }
}
