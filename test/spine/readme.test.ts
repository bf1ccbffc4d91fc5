import { describe, expect, it } from 'vitest'
import { readFileSync, existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { renderStateTable } from '../../src/shared/contract/token-states'

const root = join(__dirname, '..', '..')
const read = (path: string) => readFileSync(join(root, path), 'utf8')
const readme = read('README.md')
const DOCS = ['architecture.md', 'security.md', 'store.md', 'cli.md', 'benchmarks.md', 'development.md']

describe('README stays short and true', () => {
  it('opens with exactly the two commands', () => {
    const block = readme.split('```')[1]
    const lines = block
      .split('\n')
      .slice(1)
      .filter((l) => l.trim())
    expect(lines.map((l) => l.split('#')[0].trim())).toEqual(['npm start', 'npm test'])
  })

  it('is at most 10 KB (10,000 bytes) and links every page of docs/ and its screenshots', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(10_000)
    for (const page of DOCS) expect(readme, page).toContain(`](docs/${page})`)
    for (const shot of readdirSync(join(root, 'docs', 'screenshots')))
      expect(readme, shot).toContain(`(docs/screenshots/${shot})`)
  })

  it('links only to files that exist, in the README and in docs/', () => {
    const files = ['README.md', ...DOCS.map((d) => `docs/${d}`)]
    let links = 0
    for (const file of files) {
      for (const [, target] of read(file).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue
        links++
        expect(existsSync(join(root, dirname(file), target)), `${file} -> ${target}`).toBe(true)
      }
    }
    expect(links).toBeGreaterThan(15)
  })
})

describe('docs/ stays true', () => {
  it('shows the lifecycle state table exactly as the code has it (docs/store.md)', () => {
    const table = renderStateTable()
      .split('\n')
      .filter((l) => l.startsWith('|'))
      .join('\n')
    expect(table.split('\n').length).toBeGreaterThan(5)
    expect(read('docs/store.md')).toContain(table)
  })

  it('names only paths that exist in the layout of docs/architecture.md', () => {
    const doc = read('docs/architecture.md')
    const layout = doc.slice(doc.indexOf('## Layout'))
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

  it('names in backticks only repository files that exist', () => {
    for (const file of ['README.md', ...DOCS.filter((d) => d !== 'cli.md').map((d) => `docs/${d}`)]) {
      for (const [, path] of read(file).matchAll(
        /`((?:src|test|scripts|bench|docs)\/[\w./-]+\.(?:ts|tsx|mjs|cjs|md|sql))`/g
      ))
        expect(existsSync(join(root, path)), `${file}: ${path}`).toBe(true)
    }
  })
})
