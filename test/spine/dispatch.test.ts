import { afterEach, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { makeCore, type TestCore } from '../helpers/core'
import { createDispatch } from '../../src/main/core/dispatch'
import { createAuditLog, redact } from '../../src/main/audit'
import { APP_VERSION } from '../../src/main/core/version'
import { AppError, ERROR_CODES } from '../../src/shared/errors'
import { channels, contract } from '../../src/shared/contract'

let core: TestCore

const CONTRACT_DIR = fileURLToPath(new URL('../../src/shared/contract/', import.meta.url))

/** The text of the doc comment right above `node` ('' when there is none). */
function docOf(text: string, node: ts.Node): string {
  const last = (ts.getLeadingCommentRanges(text, node.pos) ?? []).at(-1)
  const doc = last ? text.slice(last.pos, last.end) : ''
  return doc.startsWith('/**') ? doc.slice(3, -2).trim() : ''
}

/** The shared record channels' verbs with their doc comments: the members of RecordAnswers in records.ts. */
function recordVerbDocs(): Record<string, string> {
  const text = readFileSync(join(CONTRACT_DIR, 'records.ts'), 'utf8')
  const source = ts.createSourceFile('records.ts', text, ts.ScriptTarget.Latest, true)
  const answers = source.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === 'RecordAnswers')
  if (!answers || !ts.isInterfaceDeclaration(answers)) throw new Error('records.ts declares no RecordAnswers')
  return Object.fromEntries(answers.members.map((m) => [m.name!.getText(source), docOf(text, m)]))
}

/**
 * Each channel row of the contract's `*Channels` tables, with the text of the doc comment right above it. A record
 * kind's table, `recordChannels<...>()('<domain>', inputs, { ...its own rows })`, has the shared record channels too,
 * documented in records.ts.
 */
function contractDocs(): Record<string, string> {
  const docs: Record<string, string> = {}
  const verbs = recordVerbDocs()
  for (const file of readdirSync(CONTRACT_DIR).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(CONTRACT_DIR, file), 'utf8')
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
    const rows = (table: ts.Node | undefined) => {
      if (!table || !ts.isObjectLiteralExpression(table))
        throw new Error(`${file}: a channel table that is not a literal`)
      for (const row of table.properties) docs[row.name!.getText(source).slice(1, -1)] = docOf(text, row)
    }
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && /Channels$/.test(node.name.getText(source))) {
        const table = node.initializer
        if (table && ts.isCallExpression(table) && /^recordChannels\b/.test(table.getText(source))) {
          const [domain, , own] = table.arguments
          if (!ts.isStringLiteral(domain)) throw new Error(`${file}: recordChannels without a literal domain`)
          for (const [verb, doc] of Object.entries(verbs)) docs[`${domain.text}:${verb}`] = doc
          rows(own)
        } else rows(table)
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return docs
}
afterEach(() => core?.cleanup())

function snapshot(c: TestCore) {
  const tables = c.db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'"
    )
    .all() as Array<{ name: string }>
  const counts = Object.fromEntries(
    tables.map((t) => [t.name, (c.db.prepare(`SELECT count(*) AS n FROM "${t.name}"`).get() as { n: number }).n])
  )
  return { counts, integrity: c.db.pragma('integrity_check', { simple: true }) }
}

describe('contract', () => {
  it('names every channel domain:verb with a zod schema', () => {
    expect(channels.length).toBeGreaterThan(0)
    for (const name of channels) {
      expect(name).toMatch(/^[a-z][A-Za-z]*:[a-z][A-Za-z]*$/)
      expect(typeof contract[name].input.safeParse).toBe('function')
    }
  })

  it('says what every channel does in a doc comment on its row', () => {
    const documented = contractDocs()
    expect(Object.keys(documented).sort()).toEqual([...channels].sort())
    for (const [name, doc] of Object.entries(documented)) expect(doc.length, name).toBeGreaterThan(10)
  })

  it('keeps the app version in step with package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
    expect(APP_VERSION).toBe(pkg.version)
  })
})

describe('dispatch', () => {
  it('answers system:status with the real data folder and schema version', async () => {
    core = makeCore()
    const s = await core.call('system:status', {})
    expect(s.dataDir).toBe(core.dataDir)
    expect(s.schemaVersion).toBeGreaterThanOrEqual(1)
    expect(s.keychain).toEqual({ available: true, backend: 'memory' })
  })

  it('refuses an unknown channel with a coded error', async () => {
    core = makeCore()
    const r = await core.dispatch('nope:nothing', {})
    expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Unknown channel "nope:nothing"' } })
  })

  it('returns VALIDATION naming the bad field and leaves the store unchanged', async () => {
    core = makeCore()
    await core.call('system:updateSettings', { operator: 'alice' })
    const before = snapshot(core)
    const err = await core.callError('system:updateSettings', { operator: 'bob', theme: 'purple' })
    expect(err.code).toBe('VALIDATION')
    expect(err.details?.path).toBe('theme')
    expect(err.message).toMatch(/^theme: /)
    const err2 = await core.callError('audit:list', { limit: 'ten' })
    expect(err2.details?.path).toBe('limit')
    const err3 = await core.callError('system:updateSettings', { operator: 'x', extra: 1 })
    expect(err3.code).toBe('VALIDATION')
    // Nothing ran: same rows everywhere (no audit row either), integrity intact, the old value kept.
    expect(snapshot(core)).toEqual(before)
    expect(before.integrity).toBe('ok')
    expect((await core.call('system:getSettings', {})).operator).toBe('alice')
  })

  it('writes one audit row per mutating call, none for reads', async () => {
    core = makeCore()
    await core.call('system:status', {})
    await core.call('system:updateSettings', { operator: 'carol', theme: 'dark' })
    const { items } = await core.call('audit:list', {})
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ actor: 'carol', action: 'system:updateSettings', outcome: 'ok' })
    expect(items[0].details).toEqual({ operator: 'carol', theme: 'dark' })
  })

  it('maps unexpected exceptions to INTERNAL without their text', async () => {
    core = makeCore()
    const audit = createAuditLog(core.db)
    const handlers = {
      'system:status': () => {
        throw new Error('secret-hunter2 leaked in a message')
      }
    } as never
    const d = createDispatch(handlers, audit, () => 'op')
    const r = await d('system:status', {})
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('INTERNAL')
      expect(r.error.message).not.toContain('hunter2')
    }
  })

  it('passes coded errors through with their details', async () => {
    core = makeCore()
    const audit = createAuditLog(core.db)
    const d = createDispatch(
      {
        'system:updateSettings': () => {
          throw new AppError('CONFLICT', 'stale', { version: 3 })
        }
      } as never,
      audit,
      () => 'op'
    )
    const r = await d('system:updateSettings', { operator: 'x' })
    expect(r).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'stale', details: { version: 3 } } })
    // A failed mutation is audited too, with its code as the outcome.
    expect(audit.list({ limit: 5 }).items[0]).toMatchObject({ action: 'system:updateSettings', outcome: 'CONFLICT' })
  })

  it('has a closed list of error codes', () => {
    expect(ERROR_CODES).toContain('KEYCHAIN_UNAVAILABLE')
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length)
  })
})

describe('audit log', () => {
  it('is append-only', async () => {
    core = makeCore()
    await core.call('system:updateSettings', { theme: 'light' })
    expect(() => core.db.prepare('UPDATE audit SET outcome = ?').run('x')).toThrow(/append-only/)
    expect(() => core.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/)
  })

  it('redacts secrets by field name and keeps short scalars', () => {
    const out = redact({
      name: 'ERP',
      secret: 'abcd',
      password: 'pw',
      privateKey: '-----BEGIN',
      token: 'eyJ...',
      claims: { a: 1 },
      count: 3,
      nested: { kid: 'k1', secretValue: 'x' },
      long: 'y'.repeat(500)
    })
    expect(out).toEqual({
      name: 'ERP',
      secret: '[redacted]',
      password: '[redacted]',
      privateKey: '[redacted]',
      token: '[redacted]',
      claims: '[redacted]',
      count: 3,
      nested: { kid: 'k1', secretValue: '[redacted]' },
      long: `${'y'.repeat(120)}…`
    })
    expect(JSON.stringify(out)).not.toMatch(/abcd|eyJ|BEGIN/)
  })

  it('pages newest first with a keyset cursor and filters', async () => {
    core = makeCore()
    for (let i = 0; i < 5; i++) await core.call('system:updateSettings', { operator: `op${i}` })
    const p1 = await core.call('audit:list', { limit: 2 })
    expect(p1.items.map((e) => e.details?.operator)).toEqual(['op4', 'op3'])
    const p2 = await core.call('audit:list', { limit: 2, before: p1.nextCursor! })
    expect(p2.items.map((e) => e.details?.operator)).toEqual(['op2', 'op1'])
    const none = await core.call('audit:list', { action: 'tokens:add' })
    expect(none.items).toEqual([])
  })
})
