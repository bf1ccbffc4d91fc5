import { describe, expect, it } from 'vitest'
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { renderStateTable } from '../../src/shared/contract/tokens'

const root = join(__dirname, '..', '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

describe('README stays true', () => {
  it('opens with exactly the two commands', () => {
    const block = readme.split('```')[1]
    const lines = block.split('\n').slice(1).filter((l) => l.trim())
    expect(lines.map((l) => l.split('#')[0].trim())).toEqual(['npm start', 'npm test'])
  })

  it('shows the lifecycle state table exactly as the code has it', () => {
    const table = renderStateTable()
      .split('\n')
      .filter((l) => l.startsWith('|'))
      .join('\n')
    expect(table.split('\n').length).toBeGreaterThan(5)
    expect(readme).toContain(table)
  })

  it('names only paths that exist in its layout section', () => {
    const layout = readme.slice(readme.indexOf('## Layout'), readme.indexOf('## Where data'))
    // Top-level folders start a line; their children are indented by two spaces.
    const paths: string[] = []
    let parent = ''
    for (const line of layout.split('\n')) {
      const top = /^([a-z.][\w./-]*\/)\s/.exec(line)
      const child = /^ {2}([a-z.][\w./-]*\/)\s/.exec(line)
      if (top) paths.push((parent = top[1]))
      else if (child && parent) paths.push(parent + child[1])
    }
    expect(paths.length).toBeGreaterThan(15)
    for (const p of paths) expect(existsSync(join(root, p)), p).toBe(true)
  })
})
