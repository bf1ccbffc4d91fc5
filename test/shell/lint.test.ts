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
    for (const file of ['src/main/index.ts', 'src/main/tokens/service.ts', 'src/preload/index.ts', 'src/renderer/src/App.tsx']) {
      expect(await messages(file), file).toEqual(['Use openExternalSafe() from src/main/shell/links.ts: it allows https only.'])
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
