#!/usr/bin/env node
// `npm run test:property`: every property test (`*.property.test.ts`) at 10,000 cases (the channel fuzz's heavy
// channels at 500), and the keychain race loops at 10 rounds, inside the private keyring; docs/development.md says
// what they cover.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const runs = process.env.TOKENDESK_PROPERTY_RUNS ?? '10000'
const r = spawnSync(
  'bash',
  [
    join(root, 'scripts', 'with-keyring.sh'),
    'npx',
    'vitest',
    'run',
    'property.test',
    'secret-races',
    ...process.argv.slice(2)
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TOKENDESK_PROPERTY_RUNS: runs }
  }
)
process.exit(r.status ?? 1)
