import { expect, type Locator } from '@playwright/test'
import { T } from '../../../src/renderer/src/testids'
import type { ConsolePage } from './console.page'

export class AuditPage {
  constructor(readonly app: ConsolePage) {}
  async open() {
    await this.app.go('audit')
  }
  rows(filter?: { action?: string; target?: string; outcome?: string }): Locator {
    let sel = `[data-testid="${T.auditRow}"]`
    if (filter?.action) sel += `[data-action="${filter.action}"]`
    if (filter?.outcome) sel += `[data-outcome="${filter.outcome}"]`
    const rows = this.app.page.locator(sel)
    return filter?.target ? rows.filter({ hasText: filter.target }) : rows
  }
  async filterAction(action: string) {
    await this.app.id(T.auditFilterAction).fill(action)
  }
  async expectRow(filter: { action?: string; target?: string; outcome?: string }) {
    await expect(this.rows(filter).first()).toBeVisible()
  }
}
