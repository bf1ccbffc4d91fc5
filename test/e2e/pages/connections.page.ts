import { expect } from '@playwright/test'
import { T } from '../../../src/renderer/src/testids'
import type { ConsolePage } from './console.page'

export class ConnectionsPage {
  constructor(readonly app: ConsolePage) {}
  async open() {
    await this.app.go('connections')
  }
  async add(p: {
    name: string
    kind: string
    baseUrl: string
    authMethod?: string
    username?: string
    credential: string
  }) {
    await this.app.id(T.connNew).click()
    const form = this.app.id(T.connForm)
    await form.getByTestId(T.field('name')).fill(p.name)
    await form.getByTestId(T.field('kind')).selectOption(p.kind)
    await form.getByTestId(T.field('baseUrl')).fill(p.baseUrl)
    if (p.authMethod) await form.getByTestId(T.field('authMethod')).selectOption(p.authMethod)
    if (p.username) await form.getByTestId(T.field('username')).fill(p.username)
    await form.getByTestId(T.field('credential')).fill(p.credential)
    await this.app.id(T.connSubmit).click()
    await expect(this.app.toast(`Connection ${p.name} saved`)).toBeVisible()
  }
  remoteRow(text: string) {
    return this.app.id(T.remoteRow).filter({ hasText: text })
  }
}
