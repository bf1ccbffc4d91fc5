#!/usr/bin/env node
// Sets up what is missing, with no dependencies of its own (it runs before node_modules exists):
//   1. system packages (keytar cannot even compile without libsecret-1-dev): installed with apt-get when running as
//      root (as on CI), otherwise the one command to run is printed and setup stops;
//   2. `npm ci` when node_modules is missing or older than package-lock.json;
//   3. the build (main, preload, renderer, CLI).
// Usage: node scripts/setup.mjs [--for start|test] [--no-build]
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const purpose = args.includes('--for')
  ? args[args.indexOf('--for') + 1]
  : process.env.npm_lifecycle_event === 'start'
    ? 'start'
    : 'test'
const say = (m) => process.stderr.write(`setup: ${m}\n`)

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
}

// What each purpose needs, as [check, Debian package].
const needs = [
  ['pkg-config', () => has('pkg-config'), 'pkg-config'],
  ['libsecret-1-dev', () => spawnSync('pkg-config', ['--exists', 'libsecret-1']).status === 0, 'libsecret-1-dev'],
  ['a C++ toolchain', () => has('g++') && has('make') && has('python3'), 'build-essential python3']
]
if (purpose === 'test') {
  needs.push(
    ['gnome-keyring', () => has('gnome-keyring-daemon'), 'gnome-keyring'],
    ['dbus-run-session', () => has('dbus-run-session'), 'dbus-x11'],
    ['chromium', () => existsSync('/usr/bin/chromium'), 'chromium'],
    // The browser tests run in the headless-only build: the same Blink at about half the CPU.
    ['chromium-headless-shell', () => existsSync('/usr/bin/chromium-headless-shell'), 'chromium-headless-shell'],
    ['xvfb-run', () => has('xvfb-run'), 'xvfb xauth'],
    // CJK names in screenshots render as boxes without a CJK font.
    ['a CJK font', () => spawnSync('sh', ['-c', 'fc-list | grep -qi cjk']).status === 0, 'fonts-noto-cjk']
  )
}

const missing = needs.filter(([, ok]) => !ok())
if (missing.length) {
  const pkgs = [...new Set(missing.flatMap(([, , p]) => p.split(' ')))]
  const cmd = `apt-get install -y ${pkgs.join(' ')}`
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (isRoot && has('apt-get')) {
    say(`installing system packages: ${pkgs.join(' ')}`)
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env })
  } else {
    say(`missing system packages (${missing.map(([n]) => n).join(', ')}). Run this once, then try again:`)
    process.stderr.write(`\n    sudo ${cmd}\n\n`)
    process.exit(1)
  }
}

// Native addons (better-sqlite3, keytar) compile from source here; point node-gyp at the local Node headers when they
// exist so it never tries to download them.
const env = { ...process.env }
if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h') && process.execPath === '/usr/bin/node')
  env.npm_config_nodedir = '/usr'

const lock = join(root, 'package-lock.json')
const installed = join(root, 'node_modules', '.package-lock.json')
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs
if (stale) {
  say('installing npm packages (npm ci)')
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', env })
  if (r.status !== 0) {
    say('npm ci failed (see above).')
    process.exit(1)
  }
}

if (!args.includes('--no-build')) {
  say('building (main, preload, renderer, CLI)')
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env })
  if (r.status !== 0) {
    say('the build failed (see above).')
    process.exit(1)
  }
}
