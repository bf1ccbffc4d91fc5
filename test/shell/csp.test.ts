import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { APP_CSP, APP_CSP_DIRECTIVES, parseCsp } from '../../src/main/shell/csp'

const root = join(__dirname, '..', '..')

function metaCsp(html: string): string {
  const m = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)
  if (!m) throw new Error('no CSP meta tag')
  return m[1]
}

describe('Content Security Policy (checklist: define a CSP)', () => {
  it("is default-src 'self' with no unsafe-eval, unsafe-inline, wildcard or remote source", () => {
    const p = parseCsp(APP_CSP)
    expect(p['default-src']).toBe("'self'")
    expect(p['script-src']).toBe("'self'")
    expect(p['object-src']).toBe("'none'")
    expect(APP_CSP).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|\*|https?:/)
    expect(parseCsp(APP_CSP)).toEqual(APP_CSP_DIRECTIVES)
  })

  it("agrees with the renderer's meta tag, directive by directive", () => {
    for (const file of ['src/renderer/index.html', 'out/renderer/index.html']) {
      if (file.startsWith('out') && !existsSync(join(root, file))) continue
      const meta = parseCsp(metaCsp(readFileSync(join(root, file), 'utf8')))
      expect(meta['default-src'], file).toBe("'self'")
      for (const [directive, value] of Object.entries(meta)) expect(APP_CSP_DIRECTIVES[directive], `${file}: ${directive}`).toBe(value)
    }
  })
})
