import { coreSchema } from './schema'
import { keysSchema } from '../jwt/schema'
import { tokensSchema } from '../tokens/schema'
import { remoteSchema } from '../remote/schema'

export interface Migration {
  version: number
  sql: string
}

/**
 * Ordered schema steps. Each domain keeps its own DDL beside its code; version 1 is their union. Later changes append
 * a new step here (never edit a released step).
 */
export const migrations: Migration[] = [{ version: 1, sql: [coreSchema, keysSchema, tokensSchema, remoteSchema].join('\n') }]
