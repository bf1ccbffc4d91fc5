import { describe, expect, it } from 'vitest'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/**
 * The BUILT renderer (out/renderer, after `npx electron-vite build`): what loads before the shell can paint (the entry
 * script and the chunks index.html preloads) holds the shell and the landing screen only, within its size budget;
 * every other screen, the palette (cmdk) and the chart (uPlot) are chunks of their own, loaded later.
 */
const out = join(__dirname, '..', '..', 'out', 'renderer')
const FIRST_LOAD_BUDGET_GZ = 120 * 1024
/** The whole app (every script and stylesheet, gzipped one by one) no larger than before the screens were split. */
const WHOLE_APP_BUDGET_GZ = 214_400
const LAZY = [
  'TokensScreen',
  'AccessTokens',
  'SsoApps',
  'Jwt',
  'Keys',
  'Connections',
  'Settings',
  'Palette',
  'ExpiryChart'
]

function firstLoad(): string[] {
  const html = readFileSync(join(out, 'index.html'), 'utf8')
  return [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\.\/(assets\/[^"]+\.js)"/g)
  ].map((m) => m[1])
}

describe('renderer chunks (built bundle)', () => {
  it('loads only the shell and the landing screen before first paint, within budget', () => {
    expect(existsSync(join(out, 'index.html')), 'build first: npx electron-vite build').toBe(true)
    const first = firstLoad()
    expect(first.length).toBeGreaterThan(0)
    const assets = readdirSync(join(out, 'assets'))
    for (const name of LAZY) {
      expect(
        assets.some((f) => f.startsWith(`${name}-`) && f.endsWith('.js')),
        `${name} is a chunk of its own`
      ).toBe(true)
      expect(first.filter((f) => f.startsWith(`assets/${name}-`))).toEqual([])
    }
    const code = first.map((f) => readFileSync(join(out, f), 'utf8')).join('\n')
    expect(code).not.toMatch(/cmdk-group-heading/) // cmdk
    expect(code).not.toMatch(/u-cursor-x/) // uPlot
    expect(code).not.toMatch(/\._zod\b/) // zod and the contract's schemas: the api needs only the channel table
    expect(code).toMatch(/"tokens:counts":/)
    const gz = first.reduce((n, f) => n + gzipSync(readFileSync(join(out, f))).length, 0)
    expect(gz).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_GZ)
  })

  it('carries only the schemas its forms validate, no JSON Schema generator, within the whole-app budget', () => {
    const assets = readdirSync(join(out, 'assets')).filter((f) => /\.(js|css)$/.test(f))
    const code = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(out, 'assets', f), 'utf8'))
    // A channel table (input, mutates) is not shipped: forms import their input schemas by name.
    expect(code.filter((c) => /\bmutates:/.test(c))).toEqual([])
    expect(code.filter((c) => c.includes('draft-2020-12'))).toEqual([])
    // cmdk's Command.Dialog (Radix's dialog) is not used by the palette and not shipped.
    expect(code.filter((c) => c.includes('data-radix-focus-guard'))).toEqual([])
    const gz = assets.reduce((n, f) => n + gzipSync(readFileSync(join(out, 'assets', f))).length, 0)
    expect(gz).toBeLessThanOrEqual(WHOLE_APP_BUDGET_GZ)
  })
})
