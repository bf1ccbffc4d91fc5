import { expect, type Locator } from '@playwright/test'
import { T } from '../../../src/renderer/src/testids'
import type { ConsolePage } from './console.page'

export class JwtPage {
  constructor(readonly app: ConsolePage) {}
  async open(tab: 'decode' | 'verify' | 'sign' | 'bulk' = 'decode') {
    await this.app.go('jwt')
    await this.tab(tab)
  }
  async tab(tab: 'decode' | 'verify' | 'sign' | 'bulk') {
    await this.app.id(T.jwtTab(tab)).click()
  }
  /** Picks the key source inside a KeyPicker (by its test id). */
  async useStoredKey(picker: Locator, name: string) {
    await picker.getByLabel('Stored key', { exact: true }).check()
    await picker.locator('select').first().selectOption(name)
  }
  async useSecret(picker: Locator, secret: string) {
    await picker.getByLabel('Pasted secret').check()
    await picker.getByLabel('HMAC secret').fill(secret)
  }
  async signedToken(): Promise<string> {
    const out = this.app.id(T.jwtSignResult)
    await expect(out).toBeVisible()
    return (await out.innerText()).replace(/\s+/g, '')
  }
}
