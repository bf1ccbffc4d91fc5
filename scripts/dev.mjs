// `npm run dev`: electron-vite dev (the renderer with hot reload, main and preload rebuilt on change). Main loads the
// dev server's URL in development only. Where Electron cannot run, it says so in one line and names `npm run dev:web`.
import { spawn } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { obtainElectronBinary } from './electron-binary.mjs'
import { prepareElectronSqliteQuietly } from './native.mjs'
import { followChild } from './web-console.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const electron = obtainElectronBinary(root)
const native = electron.error ? null : prepareElectronSqliteQuietly(root)
const why = electron.error
  ? `no Electron binary: ${electron.error}`
  : native.error
    ? `SQLite for Electron: ${native.error}`
    : null
if (why) {
  process.stderr.write(
    `npm run dev needs the Electron binary (${why}); \`npm run dev:web\` runs the console in a browser.\n`
  )
  process.exit(1)
}
const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
followChild(spawn(process.execPath, [cli, 'dev', '--watch', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' }))
