import { describe, expect, it } from 'vitest'
import { decideNavigation, decideWindowOpen, isBlockedRendererRequest } from '../../src/main/shell/navigation'
import { checkExternalUrl } from '../../src/main/shell/external-url'
import { denyAllPermissions, type PermissionSessionLike } from '../../src/main/shell/permissions'

describe('will-navigate / will-redirect (checklist: limit navigation)', () => {
  it('allows the app origin only', () => {
    expect(decideNavigation('app://tokendesk/index.html')).toEqual({ allow: true })
    expect(decideNavigation('app://tokendesk/tokens')).toEqual({ allow: true })
  })

  it('refuses other origins; https ones go to the browser instead', () => {
    expect(decideNavigation('https://docs.example/page')).toEqual({
      allow: false,
      openExternal: 'https://docs.example/page'
    })
    for (const url of [
      'http://docs.example/',
      'file:///etc/passwd',
      'app://other/index.html',
      'javascript:alert(1)',
      'data:text/html,x',
      'about:blank',
      'smb://host/share',
      ''
    ])
      expect(decideNavigation(url), url).toEqual({ allow: false })
  })
})

describe('setWindowOpenHandler (checklist: limit new windows)', () => {
  it('always denies; https links open externally, everything else is dropped', () => {
    expect(decideWindowOpen('https://docs.example/x')).toEqual({
      action: 'deny',
      openExternal: 'https://docs.example/x'
    })
    expect(decideWindowOpen('app://tokendesk/index.html')).toEqual({ action: 'deny' })
    expect(decideWindowOpen('file:///etc/passwd')).toEqual({ action: 'deny' })
    expect(decideWindowOpen('http://example.com/')).toEqual({ action: 'deny' })
  })
})

describe('external URL check (the only thing openExternalSafe accepts)', () => {
  it('https with a host and no credentials', () => {
    expect(checkExternalUrl('https://example.com/a?b=c')).toBe('https://example.com/a?b=c')
    expect(checkExternalUrl('HTTPS://Example.COM')).toBe('https://example.com/')
  })
  it('refuses every other scheme, credentials and junk', () => {
    for (const url of [
      'http://example.com',
      'file:///c:/windows/system32/calc.exe',
      'smb://x/y',
      'ms-msdt:/id',
      'javascript:1',
      'https://user:pw@example.com/',
      'https://bank.example@evil.example/',
      'https://',
      'nope',
      42,
      null,
      `https://e.com/${'a'.repeat(9000)}`
    ])
      expect(checkExternalUrl(url), String(url)).toBeNull()
  })
})

describe('renderer network lock', () => {
  it('cancels http(s), ws(s), ftp and file requests; keeps app:, data: and devtools:', () => {
    for (const url of [
      'https://example.com/x.js',
      'http://127.0.0.1:1/',
      'wss://x/',
      'ftp://x/',
      'file:///etc/passwd',
      '::bad::'
    ])
      expect(isBlockedRendererRequest(url), url).toBe(true)
    for (const url of [
      'app://tokendesk/assets/a.js',
      'data:image/png;base64,AA==',
      'devtools://devtools/bundled/x.html'
    ])
      expect(isBlockedRendererRequest(url), url).toBe(false)
  })
})

describe('permission handler (checklist: deny permission requests)', () => {
  function stand() {
    const s: Record<string, any> = {}
    const session: PermissionSessionLike = {
      setPermissionRequestHandler: (h) => void (s.request = h),
      setPermissionCheckHandler: (h) => void (s.check = h),
      setDevicePermissionHandler: (h) => void (s.device = h),
      setDisplayMediaRequestHandler: (h) => void (s.display = h)
    }
    denyAllPermissions(session)
    return s
  }

  it('denies every request and every check', () => {
    const s = stand()
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'hid',
      'serial',
      'usb'
    ]) {
      let granted: boolean | undefined
      s.request({}, permission, (g: boolean) => (granted = g), {})
      expect(granted, permission).toBe(false)
      expect(s.check({}, permission, 'app://tokendesk', {}), permission).toBe(false)
    }
    expect(s.device({ deviceType: 'usb' })).toBe(false)
    let streams: unknown
    s.display({}, (x: unknown) => (streams = x))
    expect(streams).toEqual({})
  })
})
