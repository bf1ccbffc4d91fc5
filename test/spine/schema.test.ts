import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { currentSchemaSql } from '../helpers/schema'
import { migrations } from '../../src/main/db/migrations'

describe('docs/schema.sql, the one schema to read', () => {
  it('is the schema a fresh migration run leaves (regenerate: node scripts/schema.mjs)', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'schema.sql'), 'utf8')
    expect(doc).toBe(currentSchemaSql())
  })

  it('names the latest migration and every table', () => {
    const sql = currentSchemaSql()
    expect(sql).toContain(`at version ${migrations[migrations.length - 1].version}`)
    for (const table of ['tokens', 'access_tokens', 'sso_apps', 'keys', 'connections', 'audit', 'settings'])
      expect(sql, table).toMatch(new RegExp(`CREATE (VIRTUAL )?TABLE "?${table}"?[ (]`))
  })
})
