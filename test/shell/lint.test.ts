import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { ESLint } from 'eslint'

const root = join(__dirname, '..', '..')
const snippet = `import { shell } from 'electron'\nexport async function open(u: string): Promise<void> {\n  await shell.openExternal(u)\n}\n`

async function messages(filePath: string, code = snippet): Promise<string[]> {
  const eslint = new ESLint({ cwd: root })
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) })
  return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message)
}

describe('lint rule: shell.openExternal only in src/main/shell/links.ts', () => {
  it('fires anywhere else (main, renderer, preload)', async () => {
    for (const file of [
      'src/main/index.ts',
      'src/main/tokens/service.ts',
      'src/preload/index.ts',
      'src/renderer/src/App.tsx'
    ]) {
      expect(await messages(file), file).toEqual([
        'Use openExternalSafe() from src/main/shell/links.ts: it allows https only.'
      ])
    }
  })

  it('also catches the computed and destructured spellings', async () => {
    const computed = `import { shell } from 'electron'\nvoid shell['openExternal']('file:///bin/sh')\n`
    const destructured = `import { shell } from 'electron'\nconst { openExternal } = shell\nvoid openExternal('file:///bin/sh')\n`
    expect(await messages('src/main/x.ts', computed)).toHaveLength(1)
    expect(await messages('src/main/x.ts', destructured)).toHaveLength(1)
  })

  it('stays quiet in the one wrapper', async () => {
    expect(await messages('src/main/shell/links.ts')).toEqual([])
  })
})

describe('lint rules: layer zones, no DOM globals under Node, and no-explicit-any', () => {
  // Real files planted in the tree (removed in finally), so the config's file globs and ignores are what decide.
  const probes: Record<string, { file: string; code: string; rule: string }> = {
    'shared imports main': {
      file: 'src/shared/__lint_probe_main__.ts',
      code: `import { createCore } from '../main/core'\nexport const probe = createCore\n`,
      rule: 'no-restricted-imports'
    },
    'shared imports a Node built-in': {
      file: 'src/shared/__lint_probe_node__.ts',
      code: `import { readFileSync } from 'node:fs'\nexport const probe = readFileSync\n`,
      rule: 'no-restricted-imports'
    },
    'shared imports electron': {
      file: 'src/shared/__lint_probe_electron__.ts',
      code: `import type { App } from 'electron'\nexport type Probe = App\n`,
      rule: 'no-restricted-imports'
    },
    'a service imports electron': {
      file: 'src/main/jwt/__lint_probe__.ts',
      code: `import { app } from 'electron'\nexport const probe = app\n`,
      rule: 'no-restricted-imports'
    },
    'a service imports the shell': {
      file: 'src/main/tokens/__lint_probe__.ts',
      code: `import { openExternalSafe } from '../shell/links'\nexport const probe = openExternalSafe\n`,
      rule: 'no-restricted-imports'
    },
    'the renderer imports main': {
      file: 'src/renderer/src/__lint_probe_main__.ts',
      code: `import type { CoreDeps } from '../../main/core/types'\nexport type Probe = CoreDeps\n`,
      rule: 'no-restricted-imports'
    },
    'the renderer imports a Node built-in': {
      file: 'src/renderer/src/__lint_probe_node__.ts',
      code: `import { join } from 'path'\nexport const probe = join\n`,
      rule: 'no-restricted-imports'
    },
    'the renderer imports electron': {
      file: 'src/renderer/src/__lint_probe_electron__.ts',
      code: `import { ipcRenderer } from 'electron'\nexport const probe = ipcRenderer\n`,
      rule: 'no-restricted-imports'
    },
    'a service imports electron through import()': {
      file: 'src/main/remote/__lint_probe__.ts',
      code: `export const probe = () => import('electron')\n`,
      rule: 'no-restricted-syntax'
    },
    'the renderer imports main through import()': {
      file: 'src/renderer/src/screens/__lint_probe__.ts',
      code: `export const probe = () => import('../../../main/tokens/util')\n`,
      rule: 'no-restricted-syntax'
    },
    'the preload imports main': {
      file: 'src/preload/__lint_probe__.ts',
      code: `import { channels } from '../main/core/dispatch'\nexport const probe = channels\n`,
      rule: 'no-restricted-imports'
    },
    'a service reads a DOM global': {
      file: 'src/main/core/__lint_probe_dom__.ts',
      code: `export const probe = (): string => document.title\n`,
      rule: 'no-restricted-globals'
    },
    'shared reads a DOM global': {
      file: 'src/shared/__lint_probe_dom__.ts',
      code: `export const probe = (): string => window.location.href\n`,
      rule: 'no-restricted-globals'
    },
    'an explicit any': {
      file: 'src/main/shell/__lint_probe__.ts',
      code: `export function probe(x: any): string {\n  return String(x)\n}\n`,
      rule: '@typescript-eslint/no-explicit-any'
    }
  }
  // Each layer's legitimate imports: the shell may use electron, services the CSP table, everyone src/shared.
  const clean = [
    {
      file: 'src/shared/__lint_probe_clean__.ts',
      code: `import { z } from 'zod'\nimport { ERROR_CODES } from './errors'\nexport const probe = [z, ERROR_CODES]\n`
    },
    {
      file: 'src/main/web/__lint_probe__.ts',
      code: `import { readFileSync } from 'node:fs'\nimport { APP_CSP } from '../shell/csp'\nimport { channels } from '../../shared/contract'\nexport const probe = [readFileSync, APP_CSP, channels]\n`
    },
    {
      file: 'src/main/shell/__lint_probe_clean__.ts',
      code: `import { app } from 'electron'\nexport const probe = app\n`
    },
    {
      file: 'src/preload/__lint_probe_clean__.ts',
      code: `import { contextBridge } from 'electron'\nimport { channels } from '../shared/contract'\nexport const probe = [contextBridge, channels]\n`
    },
    {
      file: 'src/renderer/src/screens/__lint_probe_clean__.ts',
      code: `export const probe = () => import('./Tokens')\n`
    },
    {
      file: 'src/renderer/src/__lint_probe_clean__.ts',
      code: `import { useState } from 'react'\nimport { channels } from '../../shared/contract'\nimport { T } from './testids'\nexport const probe = [useState, channels, T]\n`
    }
  ]

  // Linted as text at the path each would have: files written into src/ would meet the format and type checks that
  // run beside the tests.
  async function lintPlanted(files: { file: string; code: string }[]): Promise<Map<string, string[]>> {
    const eslint = new ESLint({ cwd: root })
    const found = new Map<string, string[]>()
    for (const { file, code } of files) {
      const [result] = await eslint.lintText(code, { filePath: join(root, file) })
      found.set(
        file,
        result.messages.map((m) => `${m.ruleId}: ${m.message}`)
      )
    }
    return found
  }

  it('refuses each planted violation and accepts the clean files', async () => {
    const found = await lintPlanted([...Object.values(probes), ...clean])
    for (const [name, probe] of Object.entries(probes)) {
      const messages = found.get(probe.file) ?? []
      expect(messages.length, `${name}: ${messages.join('; ')}`).toBe(1)
      expect(messages[0], name).toMatch(new RegExp(`^${probe.rule}: `))
    }
    for (const { file } of clean) expect(found.get(file), file).toEqual([])
  }, 120_000)
})

describe('lint rules: no function over 120 lines and no file over 400 lines in src/main', () => {
  const fn = (name: string, statements: number) =>
    `export function ${name}(): number {\n  let n = 0\n${'  n += 1\n\n  // a comment\n'.repeat(statements)}  return n\n}\n`
  async function sizeMessages(filePath: string, code: string): Promise<string[]> {
    const [result] = await new ESLint({ cwd: root }).lintText(code, { filePath: join(root, filePath) })
    return result.messages.map((m) => m.ruleId ?? '').filter((r) => r.startsWith('max-lines'))
  }

  it('refuses a 121-line function and a 401-line file; blank and comment lines do not count', async () => {
    // The function's own lines: the signature, `let`, the statements, `return` and the closing brace.
    expect(await sizeMessages('src/main/tokens/__probe__.ts', fn('probe', 116))).toEqual([])
    expect(await sizeMessages('src/main/tokens/__probe__.ts', fn('probe', 117))).toEqual(['max-lines-per-function'])
    // Six functions of 68 counted lines each: 408 in the file.
    const file = Array.from({ length: 6 }, (_, i) => fn(`probe${i}`, 64)).join('\n')
    expect(await sizeMessages('src/main/jwt/__probe__.ts', file)).toEqual(['max-lines'])
  })

  it('holds src/main only (the renderer and the contract files are not counted this way)', async () => {
    expect(await sizeMessages('src/renderer/src/__probe__.ts', fn('probe', 117))).toEqual([])
    expect(await sizeMessages('src/shared/contract/__probe__.ts', fn('probe', 117))).toEqual([])
  })
})
