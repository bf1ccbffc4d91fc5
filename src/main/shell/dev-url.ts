import { originOf } from './origin'

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * The renderer's dev-server URL (electron-vite sets ELECTRON_RENDERER_URL under `npm run dev`), or null. A packaged
 * app never loads a remote page: the variable is ignored there, and anywhere it is not plain http on loopback.
 */
export function devRendererUrl(env: Record<string, string | undefined>, isPackaged: boolean): string | null {
  const raw = env.ELECTRON_RENDERER_URL
  if (isPackaged || !raw) return null
  try {
    const u = new URL(raw)
    return u.protocol === 'http:' && LOOPBACK.has(u.hostname) ? u.href : null
  } catch {
    return null
  }
}

/** True for the dev server's own pages, modules and hot-reload socket (http: and ws: to the same host and port). */
export function isDevServerUrl(url: string, devUrl: string | null): boolean {
  if (!devUrl) return false
  const origin = originOf(url)
  return origin !== null && origin.replace(/^ws:/, 'http:') === originOf(devUrl)
}
