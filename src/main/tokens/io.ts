import type { CoreDeps } from '../core/types'
import type { JobContext } from '../jobs'
import { createBulkLoader } from './bulk'
import type { Derived } from './bulk/derived'
import { exportStore } from './export'
import { importFile } from './import'
import { seedTokens } from './seed'

/** The store's file jobs: demo data, export and import. Seed and import load through the bulk loader. */
export function createIo(deps: CoreDeps, derived: Derived) {
  const loader = createBulkLoader(deps.db, derived, deps.bulkMinRows)
  return {
    seed: (count: number, seed: number | undefined, ctx: JobContext) => seedTokens(deps, loader, count, seed, ctx),
    export: (file: string, kinds: string[] | undefined, overwrite: boolean, ctx: JobContext) =>
      exportStore(deps, file, kinds, overwrite, ctx),
    import: (file: string, batchSize: number, ctx: JobContext) => importFile(deps.db, loader, file, batchSize, ctx)
  }
}
