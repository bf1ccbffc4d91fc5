import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  APP_CSP,
  APP_CSP_DIRECTIVES,
  HEADER_ONLY_DIRECTIVES,
  injectCspMeta,
  META_CSP,
  parseCsp,
  WEB_SECURITY_HEADERS
} from '../../src/main/shell/csp'
import { WEB_CSP } from '../../src/main/web/server'

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

  it('is one generated set: the app:// header, the web header and the meta tag of the built index.html', () => {
    expect(WEB_CSP).toBe(APP_CSP)
    expect(WEB_SECURITY_HEADERS['content-security-policy']).toBe(APP_CSP)
    const source = readFileSync(join(root, 'src/renderer/index.html'), 'utf8')
    expect(source, 'the source carries a placeholder, never a copy').not.toContain('Content-Security-Policy')
    const expected = { ...APP_CSP_DIRECTIVES }
    for (const d of HEADER_ONLY_DIRECTIVES) delete expected[d]
    expect(parseCsp(metaCsp(injectCspMeta(source)))).toEqual(expected)
    const built = join(root, 'out/renderer/index.html')
    if (existsSync(built)) expect(metaCsp(readFileSync(built, 'utf8'))).toBe(META_CSP)
  })

  it('refuses to build a page without the placeholder', () => {
    expect(() => injectCspMeta('<html><head></head></html>')).toThrow(/placeholder/)
  })
})
