#!/usr/bin/env node
// `npm run emulator -- fess|datafor|xdua [--port N] [--seed N] ...`: runs a server emulator from test/emulators by hand,
// so anyone can try the app without a real server. The emulators are TypeScript; tsx runs them as they are.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const child = spawn(
  process.execPath,
  [
    join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
    join(root, 'test', 'emulators', 'cli.ts'),
    ...process.argv.slice(2)
  ],
  {
    stdio: 'inherit'
  }
)
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
