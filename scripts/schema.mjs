// Writes docs/schema.sql: the current schema read back from a fresh migration run (test/helpers/schema.ts), so no one
// has to replay the migrations in their head. test/spine/schema.test.ts checks the file is current.
import { writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tsImport } from 'tsx/esm/api'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const { currentSchemaSql } = await tsImport(join(root, 'test', 'helpers', 'schema.ts'), import.meta.url)
writeFileSync(join(root, 'docs', 'schema.sql'), currentSchemaSql())
process.stdout.write('docs/schema.sql written\n')
