import { relative } from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { defineConfig } from 'vitest/config'

/**
 * Files that replace modules or change process-wide state (vi.mock, stubbed globals, process.env, fake timers) run
 * each in a fresh process. Every other file, the property and fuzz suites included, shares its worker's module cache
 * with the files before it: they hold no module state of their own, and importing the source again per file cost most
 * of a run.
 */
const ISOLATED = [
  'test/renderer/stores.test.ts',
  'test/renderer/api-dedupe.test.ts',
  'test/jwt/verify-through-jose.test.ts',
  'test/shell/preload.test.ts',
  'test/shell/links.test.ts',
  'test/core/worker-entry.test.ts',
  'test/spine/web.test.ts',
  'test/spine/contract-lazy.test.ts',
  'test/renderer/early-rpc.test.ts',
  'test/renderer/inventory-store.test.ts',
  'test/spine/keychain-list-race.test.ts'
]
/**
 * Without recorded durations (a fresh clone) vitest runs larger files first, which left the short but slow property
 * suites for the end, one worker busy and the other idle: there, the property suites go first in their project.
 */
class PropertyFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const timed = (f: TestSpecification) =>
      this.ctx.cache.getFileTestResults(`${f.project.name}:${relative(this.ctx.config.root, f.moduleId)}`)
    if (sorted.every(timed)) return sorted
    const rank = (f: TestSpecification) => (f.moduleId.endsWith('.property.test.ts') ? 0 : 1)
    const project = new Map(sorted.map((f, i) => [f.project.name, i]))
    // Stable: projects keep their order, and files their base order within each rank.
    return sorted.sort((a, b) => project.get(a.project.name)! - project.get(b.project.name)! || rank(a) - rank(b))
  }
}
const EXCLUDE = ['test/e2e/**', 'test/electron/**', 'node_modules/**']

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    sequence: { sequencer: PropertyFirst },
    setupFiles: ['test/helpers/property-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: [...EXCLUDE, ...ISOLATED], isolate: false }
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED, exclude: EXCLUDE, isolate: true } }
    ]
  }
})
