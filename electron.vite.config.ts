import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { build as viteBuild } from 'vite'
import react from '@vitejs/plugin-react'
import { injectCspMeta } from './src/main/shell/csp'
import { contract } from './src/shared/contract'
import { SCREENS } from './src/renderer/src/stores/ui.store'

/** The renderer's channel table (src/renderer/src/channels.ts) as a literal: the first chunk then needs no zod. */
const CHANNEL_TABLE = resolve(__dirname, 'src/renderer/src/channels.ts')
const channelTable = () =>
  `export const CHANNEL_MUTATES = ${JSON.stringify(Object.fromEntries(Object.entries(contract).map(([name, def]) => [name, def.mutates])))}\n`

/**
 * The shell's frame as static HTML inside #root: the browser paints it before any script has run, and React's first
 * render replaces it. Text only, no script (the CSP allows none inline), no test ids (tests wait for the live shell).
 */
const html = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
const shellSkeleton = () =>
  `<div class="shell" aria-busy="true"><nav class="sidebar" aria-label="Screens"><div class="brand"><span class="logo" aria-hidden="true">◆</span> TokenDesk</div>` +
  SCREENS.map((s) => `<a class="nav-link" href="#/${html(s.id)}">${html(s.label)}</a>`).join('') +
  `</nav><main id="main" class="main"><section class="screen" aria-busy="true"><div class="screen-body"><div class="card muted">Loading…</div></div></section></main>` +
  `<footer class="status-bar" aria-label="Status"><span class="muted">Connecting…</span></footer></div>`

/**
 * commander requires node:child_process at load for its executable subcommands, which TokenDesk has none of: the
 * module (and the net, dgram and stream internals under it) is loaded only if a spawn ever happens.
 */
const COMMANDER_SPAWN = "const childProcess = require('node:child_process');"
const lazyCommanderSpawn = {
  name: 'tokendesk-lazy-commander-spawn',
  transform(code: string, id: string) {
    if (!/[\\/]commander[\\/]lib[\\/]command\.js$/.test(id)) return undefined
    if (!code.includes(COMMANDER_SPAWN))
      throw new Error('commander/lib/command.js changed: review tokendesk-lazy-commander-spawn')
    return code.replace(
      COMMANDER_SPAWN,
      "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };"
    )
  }
}

/**
 * Node's built-in modules a chunk imports are loaded on first use, not when the chunk loads: `tokens counts` would
 * otherwise pay for node:crypto and node:worker_threads that only signing and bulk loads use. A binding used other
 * than by its members (passed whole) stays an eager require; fs and path are loaded by bin/tokendesk already.
 */
const EAGER_BUILTINS = new Set(['node:fs', 'node:path'])
const lazyBuiltins = {
  name: 'tokendesk-lazy-builtins',
  renderChunk(code: string) {
    let changed = false
    const out = code.replace(
      /^let (node_\w+) = require\("(node:[\w/]+)"\);$/gm,
      (line, name: string, id: string, at: number) => {
        if (EAGER_BUILTINS.has(id)) return line
        const members = new Set<string>()
        const uses = code.matchAll(new RegExp(`(?<![\\w$])(?<!(?<!\\.\\.)\\.)${name}(?![\\w$])(\\.([\\w$]+))?`, 'g'))
        for (const use of uses) {
          if (use.index === at + 'let '.length) continue
          if (!use[2]) return line
          members.add(use[2])
        }
        if (!members.size) return line
        changed = true
        const getters = [...members].map((m) => `get ${m}() { return require(${JSON.stringify(id)}).${m}; }`)
        return `const ${name} = { ${getters.join(', ')} };`
      }
    )
    return changed ? { code: out, map: null } : null
  }
}

/**
 * The CLI bundles better-sqlite3's JavaScript (a dozen small files: resolving and compiling them cost a `tokens` command
 * more than opening the store) and loads only its native addon from node_modules: the store's `require` is made one the
 * bundler follows, and the addon's default lookup (the `bindings` package, which finds the package by the caller's
 * file) is told where the package is, as the bundle is not in it.
 */
const SQLITE_REQUIRE = "createRequire(__filename)('better-sqlite3')"
const SQLITE_ADDON = "require('bindings')('better_sqlite3.node')"
const bundledSqlite = {
  name: 'tokendesk-bundled-sqlite',
  enforce: 'pre' as const,
  transform(code: string, id: string) {
    const file = id.split('?')[0]
    if (file === resolve(__dirname, 'src/main/db/index.ts')) {
      if (!code.includes(SQLITE_REQUIRE))
        throw new Error('src/main/db/index.ts changed: review tokendesk-bundled-sqlite')
      return code.replace(SQLITE_REQUIRE, "require('better-sqlite3')")
    }
    if (!/[\\/]better-sqlite3[\\/]lib[\\/]database\.js$/.test(file)) return undefined
    if (!code.includes(SQLITE_ADDON))
      throw new Error('better-sqlite3/lib/database.js changed: review tokendesk-bundled-sqlite')
    return code.replace(
      SQLITE_ADDON,
      "require('bindings')({ bindings: 'better_sqlite3.node', module_root: path.dirname(require.resolve('better-sqlite3/package.json')) })"
    )
  }
}

// Native addons and Node-only packages stay external to the main bundle: they are loaded from node_modules at run time.
const external = ['better-sqlite3', 'keytar', 'electron']

// The contract's modules only declare schemas: one is bundled where its exports are used, so a command that loads one
// domain's contract (dispatch imports them by domain) does not build every domain's schemas.
const treeshake = { moduleSideEffects: [{ test: /[\\/]src[\\/]shared[\\/]contract[\\/]/, sideEffects: false }] }

const CLI_ENTRY = resolve(__dirname, 'src/main/cli/index.ts')
const SERVE_FIRST = /[\\/]src[\\/]main[\\/](web[\\/][^\\/]+|cli[\\/]commands[\\/]serve|shell[\\/]csp)\.ts$/
type ModuleGraph = { getModuleInfo(id: string): { importedIds: readonly string[] } | null }

/** The modules an entry imports statically, directly or not: what its every run loads. */
function staticImports(entry: string, graph: ModuleGraph): Set<string> {
  const seen = new Set<string>()
  const todo = [entry]
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    if (seen.has(id)) continue
    seen.add(id)
    todo.push(...(graph.getModuleInfo(id)?.importedIds ?? []))
  }
  return seen
}

/**
 * The CLI and web mode (bin/tokendesk runs out/main/cli.js with plain Node), built on their own after the main build:
 * what every run needs (commander, argv, the command table) in one small chunk, and every command's code, the services
 * and the contract in one other, each module in it evaluated when first imported. A command then loads three or four
 * files instead of twenty, and `--version` never reads the big one.
 */
const cliBundle = {
  name: 'tokendesk-cli-bundle',
  apply: 'build' as const,
  async closeBundle() {
    let initial: Set<string> | undefined
    await viteBuild({
      configFile: false,
      root: __dirname,
      logLevel: 'warn',
      publicDir: false,
      define: { 'process.env': 'process.env' },
      plugins: [
        lazyCommanderSpawn,
        lazyBuiltins,
        bundledSqlite,
        // Splitting by the groups below needs the entry free to export what its chunk holds.
        {
          name: 'tokendesk-cli-entry',
          options: (o) => ({ ...o, preserveEntrySignatures: 'allow-extension' }),
          // The contract's per-domain dynamic imports all land in the commands chunk, where they still defer evaluation.
          onLog: (_level, log) => (log.code === 'INEFFECTIVE_DYNAMIC_IMPORT' ? false : undefined)
        }
      ],
      ssr: { noExternal: true },
      build: {
        ssr: true,
        outDir: resolve(__dirname, 'out/main'),
        emptyOutDir: false,
        target: 'node20.19',
        minify: false,
        reportCompressedSize: false,
        copyPublicDir: false,
        rolldownOptions: {
          input: { cli: CLI_ENTRY },
          external: [
            ...external.filter((m) => m !== 'better-sqlite3'),
            'bindings',
            'undici',
            ...builtinModules.flatMap((m) => [m, `node:${m}`])
          ],
          treeshake,
          output: {
            format: 'cjs',
            // Pure ASCII: Node reads such a file into a one-byte string, several times faster than UTF-8 text with a few
            // non-ASCII characters in it, and V8 compiles it faster.
            charset: 'ascii',
            comments: { jsdoc: false, legal: true, annotation: true },
            entryFileNames: '[name].js',
            chunkFileNames: 'chunks/cli-[name]-[hash].js',
            // Each module of the commands chunk runs when first imported, as it would from a chunk of its own.
            strictExecutionOrder: true,
            codeSplitting: {
              includeDependenciesRecursively: false,
              groups: [
                // What every run loads, in one file (left to itself the bundler may split off a module both use).
                {
                  debugName: 'cli',
                  includeDependenciesRecursively: false,
                  name: (id: string, graph: ModuleGraph) =>
                    (initial ??= staticImports(CLI_ENTRY, graph)).has(id) ? 'cli' : null
                },
                // `serve` prints its URL before it loads the store and the services: the web server is a chunk of its own.
                { name: 'web', test: SERVE_FIRST, priority: 1 },
                {
                  debugName: 'commands',
                  includeDependenciesRecursively: false,
                  name: (id: string, graph: ModuleGraph) =>
                    (initial ??= staticImports(CLI_ENTRY, graph)).has(id) ? null : 'commands'
                }
              ]
            }
          }
        }
      }
    })
  }
}

const RENDERER_MAIN = resolve(__dirname, 'src/renderer/src/main.tsx')
const RENDERER_APP = resolve(__dirname, 'src/renderer/src/mount.tsx')
// Libraries only one lazily loaded screen or the palette uses stay in that chunk.
const ONE_SCREEN_LIBS =
  /[\\/]node_modules[\\/](uplot|cmdk|@radix-ui|@tanstack|react-remove-scroll(-bar)?|use-sidecar|use-callback-ref|aria-hidden|react-style-singleton|get-nonce|tslib)[\\/]/

/**
 * The renderer's chunks: the entry (main.tsx, what runs before the first paint), the app (mount.tsx and everything it
 * imports: React, the shell, the landing screen) in one chunk, each lazily loaded screen in its own, and the code that
 * two or more of those share (the contract and zod among it) in one more. A chunk for every set of screens sharing a
 * module costs more in gzip framing and import glue than it spares the screens.
 */
let rendererLoads: { entry: Set<string>; app: Set<string> } | undefined
const loads = (graph: ModuleGraph) =>
  (rendererLoads ??= { entry: staticImports(RENDERER_MAIN, graph), app: staticImports(RENDERER_APP, graph) })
const rendererSplitting = {
  includeDependenciesRecursively: false,
  groups: [
    {
      debugName: 'app',
      priority: 2,
      name: (id: string, graph: ModuleGraph) =>
        loads(graph).app.has(id) && !loads(graph).entry.has(id) ? 'mount' : null
    },
    {
      debugName: 'screens-shared',
      priority: 1,
      minShareCount: 2,
      name: (id: string, graph: ModuleGraph) =>
        loads(graph).entry.has(id) || ONE_SCREEN_LIBS.test(id) || /[\\/]Palette/.test(id) ? null : 'shared'
    }
  ]
}

/**
 * zod's JSON Schema generator (its `toJSONSchema` and each schema type's processor) is wired into every classic schema,
 * so tree-shaking keeps it; the console never asks a schema for JSON Schema. In the renderer build its two modules are
 * stand-ins with the same exports, each throwing if called.
 */
const ZOD_JSON_SCHEMA = /[\\/]zod[\\/]v4[\\/]core[\\/](json-schema-processors|to-json-schema)\.js$/
const zodWithoutJsonSchema = {
  name: 'tokendesk-zod-without-json-schema',
  apply: 'build' as const,
  load(id: string) {
    if (!ZOD_JSON_SCHEMA.test(id)) return undefined
    const names = new Set<string>()
    for (const m of readFileSync(id, 'utf8').matchAll(/^export (?:const|function) (\w+)|^export \{ \w+ as (\w+) \}/gm))
      names.add(m[1] ?? m[2])
    if (!names.size) throw new Error(`${id} changed: review tokendesk-zod-without-json-schema`)
    // The create* factories run when a schema's `~standard` is read: they make methods that throw only when called.
    const stub = (n: string) => `export const ${n} = ${n.startsWith('create') ? '() => fail' : 'fail'}`
    return [
      `const fail = () => { throw new Error('JSON Schema is not built into the console') }`,
      ...[...names].map(stub)
    ].join('\n')
  }
}

/**
 * cmdk imports Radix's dialog for its Command.Dialog, which the palette does not use (it renders Command in its own
 * overlay): the renderer build gives cmdk stand-ins that throw if ever rendered, instead of the dialog's ~10 KB.
 */
const CMDK_DIALOG_STUB = '\0tokendesk-cmdk-dialog'
const cmdkWithoutDialog = {
  name: 'tokendesk-cmdk-without-dialog',
  enforce: 'pre' as const,
  apply: 'build' as const,
  resolveId: (id: string, importer?: string) =>
    id === '@radix-ui/react-dialog' && importer && /[\\/]cmdk[\\/]/.test(importer) ? CMDK_DIALOG_STUB : undefined,
  load: (id: string) =>
    id === CMDK_DIALOG_STUB
      ? [
          `const fail = () => { throw new Error('Command.Dialog is not built into the console') }`,
          ...['Root', 'Portal', 'Overlay', 'Content'].map((n) => `export const ${n} = fail`)
        ].join('\n')
      : undefined
}

export default defineConfig({
  main: {
    plugins: [lazyCommanderSpawn, lazyBuiltins, cliBundle],
    build: {
      // Pure-JS libraries are bundled (tree-shaken, one parse) so a CLI command does not load their every file.
      externalizeDeps: { exclude: ['zod', 'jose', 'commander'] },
      rollupOptions: {
        external,
        treeshake,
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // Bulk-mint worker thread: loaded by path from out/main at run time.
          'mint-worker': resolve(__dirname, 'src/main/jwt/mint-worker.ts'),
          // Search-index worker of bulk loads: also loaded by path (tokens/bulk/workers.ts).
          'fts-worker': resolve(__dirname, 'src/main/tokens/bulk/fts-worker.ts'),
          // Count worker of tokens:count: also loaded by path.
          'count-worker': resolve(__dirname, 'src/main/tokens/bulk/count-worker.ts'),
          // Checkpoint worker of bulk loads: also loaded by path.
          'checkpoint-worker': resolve(__dirname, 'src/main/tokens/bulk/checkpoint-worker.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload can only require 'electron': bundle the contract (and zod) into it.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      // Minified: the first chunk is what every start parses before the shell paints.
      minify: true,
      // One stylesheet: the landing screen's chart loads at every start, so its uPlot styles need no file of their own.
      cssCodeSplit: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') },
        // A form validates with its channel's input schema: the console carries those schemas, not every channel's.
        treeshake: { ...treeshake, manualPureFunctions: ['lazy', 'reads', 'writes', 'noInput', 'targeted'] },
        output: { codeSplitting: rendererSplitting }
      }
    },
    plugins: [
      react(),
      zodWithoutJsonSchema,
      cmdkWithoutDialog,
      // The built index.html gets its CSP meta tag from the same directives as the app:// and web-mode headers. The
      // dev server leaves it out: its hot-reload preamble is an inline script.
      { name: 'tokendesk-csp-meta', apply: 'build', transformIndexHtml: { order: 'pre', handler: injectCspMeta } },
      {
        name: 'tokendesk-first-paint',
        apply: 'build',
        load: (id) => (id.split('?')[0] === CHANNEL_TABLE ? channelTable() : undefined),
        transformIndexHtml: {
          order: 'pre',
          handler: (html) => {
            if (!html.includes('<div id="root"></div>'))
              throw new Error('index.html has no empty <div id="root"></div>')
            return html.replace('<div id="root"></div>', `<div id="root">${shellSkeleton()}</div>`)
          }
        }
      },
      {
        // The app's chunk (mount.tsx and what it imports) is fetched and compiled with the page, evaluated after the
        // first paint (main.tsx).
        name: 'tokendesk-preload-app',
        apply: 'build',
        transformIndexHtml: {
          order: 'post',
          handler: (html, ctx) => {
            const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === 'chunk')
            const app = chunks.find((c) => c.moduleIds.some((id) => id.endsWith('/src/renderer/src/mount.tsx')))
            if (!app) throw new Error('the renderer build has no chunk for src/renderer/src/mount.tsx')
            const files = [...app.imports, app.fileName].filter((f) => !html.includes(`/${f}"`))
            const links = files.map((f) => `    <link rel="modulepreload" crossorigin href="./${f}">\n`).join('')
            return html.replace('  </head>', `${links}  </head>`)
          }
        }
      }
    ]
  }
})
