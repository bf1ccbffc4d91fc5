// `npm run dev:web`: the console in the browser with hot reload, for machines without the Electron binary. Vite's dev
// server serves the renderer from src/renderer and proxies /rpc/* to a `tokendesk serve` child (the built main code)
// with that server's session header, so only pages of the dev server's own origin reach the RPC.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer, loadConfigFromFile } from 'vite'
import { onExit, startServe } from './web-console.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

if (!existsSync(join(root, 'out', 'main', 'cli.js'))) {
  const built = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit'
    }
  )
  if (built.status !== 0) process.exit(1)
}

const { child: serve, url } = await startServe(root, ['--port', '0'])
// Watched from here on: a Ctrl+C while Vite still loads reaches the server (startServe forwards it) and ends this too.
let server = null
const onServeExit = (code) => {
  process.stderr.write(`tokendesk serve stopped (${code}); stopping the dev server.\n`)
  void Promise.resolve(server?.close()).then(() => process.exit(1))
}
onExit(serve, onServeExit)
const backend = new URL(url)
const session = backend.searchParams.get('token')

// The config is loaded through Vite's bundler, as electron-vite does; its notice about the native loader is noise here.
process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true'
const loaded = await loadConfigFromFile(
  { command: 'serve', mode: 'development' },
  join(root, 'electron.vite.config.ts')
)
const port = Number(process.env.TOKENDESK_DEV_PORT ?? 5173)
let ownOrigin = ''
server = await createServer({
  ...loaded.config.renderer,
  configFile: false,
  server: {
    host: '127.0.0.1',
    port,
    strictPort: false,
    proxy: {
      '/rpc': {
        target: backend.origin,
        changeOrigin: true,
        configure: (proxy) =>
          proxy.on('proxyReq', (req) => {
            req.setHeader('x-tokendesk-session', session)
            // The dev page's own origin stands for the backend's; any other Origin reaches it unchanged and is refused.
            if (req.getHeader('origin') === ownOrigin) req.setHeader('origin', backend.origin)
          })
      }
    }
  }
})
await server.listen()
const local = server.resolvedUrls.local[0]
ownOrigin = new URL(local).origin
process.stdout.write(`TokenDesk console with hot reload: ${local}\n`)

// startServe forwards the signal to the server; this only closes Vite and leaves without the crash note.
const stop = async () => {
  serve.removeAllListeners('exit')
  await server.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
