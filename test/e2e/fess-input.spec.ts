import { test, expect, rpc, type Page } from './fixtures'
import { T } from '../../src/renderer/src/testids'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'
import type { ConsolePage } from './pages/console.page'

let fess: FessEmulator
test.beforeEach(async () => {
  fess = await startFessEmulator({ tokens: 1, seed: 3 })
})
test.afterEach(async () => {
  await fess.close()
})

function countCalls(page: Page, channel: string): () => number {
  let n = 0
  page.on('request', (r) => {
    if (r.url().includes(`/rpc/${channel}`)) n++
  })
  return () => n
}

/** Types the read-back check and a half date into a Fess token form, then submits it. */
async function fillGuardedForm(app: ConsolePage, form: string, submit: string) {
  const f = app.id(form)
  await f.getByTestId(T.field('name')).fill('crawler')
  await f.getByTestId(T.field('permissions')).fill('Robert\n{role}guest')
  // Shown while typing, before anything is saved.
  const preview = f.getByTestId('perm-preview')
  await expect(preview.getByRole('row').filter({ hasText: 'Robert' })).toContainText('{role}obert')
  await expect(f.getByRole('status').filter({ hasText: 'reads back as "{role}obert"' })).toBeVisible()
  await f.getByTestId(T.field('expires')).click()
  await app.page.keyboard.type('12')
  await app.id(submit).click()
  await expect(app.id(T.fieldError('expires'))).toContainText('Finish the date and time')
}

test('remote Fess create: permission read-back while typing; a half-typed expiry is refused, not saved as never', async ({
  app,
  serve,
  page
}) => {
  await rpc(serve, 'connections:add', {
    name: 'fess-emu',
    kind: 'fess',
    baseUrl: fess.url,
    authMethod: 'token',
    credential: fess.adminToken
  })
  const creates = countCalls(page, 'remote:fessCreate')
  await app.go('connections')
  await app.id(T.connRow).filter({ hasText: 'fess-emu' }).getByTestId(T.connOpen).click()
  await app.id(T.remoteNew).click()
  await fillGuardedForm(app, T.remoteForm, T.remoteSubmit)
  expect(creates()).toBe(0)
  expect([...fess.state.items.values()].some((i) => i.name === 'crawler')).toBe(false)
})

test('local access token: the same read-back while typing and the same refusal of a half-typed expiry', async ({
  app,
  page
}) => {
  const adds = countCalls(page, 'accessTokens:add')
  await app.go('accessTokens')
  await app.id(T.accessNew).click()
  await fillGuardedForm(app, T.accessForm, T.accessSubmit)
  expect(adds()).toBe(0)
})
