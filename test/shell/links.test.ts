import { beforeEach, describe, expect, it, vi } from 'vitest'

// A stand-in `electron`: the real package would try to download its binary when imported under Node.
const openExternal = vi.fn(async (_url: string) => {})
vi.mock('electron', () => ({ shell: { openExternal } }))

const { openExternalSafe } = await import('../../src/main/shell/links')

describe('openExternalSafe (checklist: do not use shell.openExternal with untrusted content)', () => {
  beforeEach(() => openExternal.mockClear())

  it('hands https links to the OS', async () => {
    expect(await openExternalSafe('https://example.com/docs?q=1')).toBe(true)
    expect(openExternal).toHaveBeenCalledWith('https://example.com/docs?q=1')
  })

  it('refuses everything else without calling the OS', async () => {
    for (const url of [
      'http://example.com',
      'file:///bin/sh',
      'smb://host/share',
      'ms-settings:',
      'tokendesk://token/x',
      'https://u:p@example.com',
      '',
      undefined,
      { href: 'https://x' }
    ])
      expect(await openExternalSafe(url), String(url)).toBe(false)
    expect(openExternal).not.toHaveBeenCalled()
  })
})
