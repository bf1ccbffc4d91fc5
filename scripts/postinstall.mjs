#!/usr/bin/env node
// After `npm install` / `npm ci`: apply patches/ (patch-package), then, on Linux, rebuild keytar from its patched
// source when the source is newer than the built addon (a prebuilt binary would not carry the patch).
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const run = (cmd, args, cwd = root) => {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

run(process.execPath, [join(root, 'node_modules', 'patch-package', 'index.js')])

const keytar = join(root, 'node_modules', 'keytar')
const source = join(keytar, 'src', 'keytar_posix.cc')
const addon = join(keytar, 'build', 'Release', 'keytar.node')
if (process.platform === 'linux' && existsSync(source)) {
  if (!existsSync(addon) || statSync(addon).mtimeMs < statSync(source).mtimeMs)
    // npm names its own node-gyp in the environment of install scripts; run by hand, the one in node_modules serves.
    run(
      process.execPath,
      [process.env.npm_config_node_gyp ?? join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), 'rebuild'],
      keytar
    )
}
