import { expect, type Locator, type Page } from '@playwright/test'
import { T } from '../../../src/renderer/src/testids'

/** The Inventory screen: filters, the table and its selection, findings, renew, export, refresh. */
export class InventoryPage {
  constructor(readonly page: Page) {}

  id(testId: string): Locator {
    return this.page.getByTestId(testId)
  }
  get rows(): Locator {
    return this.id(T.invRow)
  }
  get table(): Locator {
    return this.page.getByRole('table', { name: 'Inventory' })
  }
  get findingsTotal(): Locator {
    return this.id(T.invFindingsTotal)
  }
  async findingsCount(): Promise<number> {
    await expect(this.findingsTotal).toBeVisible()
    return Number((await this.findingsTotal.innerText()).replace(/,/g, ''))
  }
  async expiringWithin(days: number): Promise<void> {
    await this.id(T.invFilter('within')).fill(String(days))
  }
  async refreshAll(): Promise<void> {
    await this.id(T.invRefresh).click()
    await expect(this.id(T.invRefreshResult).first()).toBeVisible()
  }
  async selectAll(): Promise<void> {
    await this.table.getByRole('checkbox', { name: 'Select all rows' }).check()
  }
  /** Renew the selection with a preset ("+90 days") and wait for the job to end. */
  async renewSelected(preset: string): Promise<void> {
    await this.id(T.invRenewSelected).click()
    const dialog = this.page.getByRole('dialog')
    await dialog.getByRole('button', { name: preset }).click()
    await dialog.getByRole('button', { name: 'Renew' }).click()
    await expect(dialog).toBeHidden()
  }
}
