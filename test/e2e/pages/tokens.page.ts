import { expect } from '@playwright/test'
import { T } from '../../../src/renderer/src/testids'
import type { ConsolePage } from './console.page'

export class TokensPage {
  constructor(readonly app: ConsolePage) {}
  async open() {
    await this.app.go('tokens')
  }
  rows() {
    return this.app.id(T.tokensRow)
  }
  row(text: string) {
    return this.rows().filter({ hasText: text })
  }
  async create(values: Record<string, string>) {
    await this.app.id(T.tokensNew).click()
    const form = this.app.id(T.tokenForm)
    for (const [k, v] of Object.entries(values)) await form.getByTestId(T.field(k)).fill(v)
    await this.app.id(T.tokenFormSubmit).click()
  }
  get detail() {
    return this.app.id(T.tokenDetail)
  }
  async expectState(state: string) {
    await expect(this.app.id(T.tokenState).locator(`[data-state="${state}"]`)).toBeVisible()
  }
  async act(verb: string, opts: { confirm?: boolean } = {}) {
    await this.app.id(T.tokenAction(verb)).click()
    if (opts.confirm) await this.app.confirm()
  }
  async expectActions(verbs: string[]) {
    const ids = await this.detail
      .locator('[data-testid^="token-action-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))
    expect(ids.sort()).toEqual(verbs.map((v) => T.tokenAction(v)).sort())
  }
  historyRow(action: string) {
    return this.app.id(T.tokenHistory).locator(`[data-action="${action}"]`)
  }
}
