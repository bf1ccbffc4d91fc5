import { expect } from '@playwright/test'
import { T } from '../../../src/renderer/src/testids'
import type { ConsolePage } from './console.page'

export class KeysPage {
  constructor(readonly app: ConsolePage) {}
  async open() {
    await this.app.go('keys')
  }
  row(name: string) {
    return this.app.id(T.keysRow).filter({ hasText: name })
  }
  async generate(name: string, alg: string) {
    await this.app.id(T.keysNew).click()
    await this.app.id(T.field('name')).fill(name)
    await this.app.id(T.field('alg')).selectOption(alg)
    await this.app.id(T.keyGenerateSubmit).click()
  }
  async importText(name: string, text: string) {
    await this.app.id(T.keysImport).click()
    await this.app.id(T.field('name')).fill(name)
    await this.app.id(T.keyImportText).fill(text)
    await this.app.id(T.keyImportSubmit).click()
  }
  async select(name: string) {
    await this.row(name).getByRole('button', { name }).click()
  }
  async expectRow(name: string, text: string | RegExp) {
    await expect(this.row(name)).toContainText(text)
  }
}
