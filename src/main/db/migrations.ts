import { coreSchema } from './schema'
import { keysSchema } from '../jwt/schema'
import { tokensSchema, tokensSchemaV2, tokensSchemaV3, tokensSchemaV4 } from '../tokens/schema'
import { remoteSchema, remoteSchemaV6 } from '../remote/schema'
import { hygieneSchemaV5, hygieneSchemaV6 } from '../hygiene/schema'

export interface Migration {
  version: number
  sql: string
}

/**
 * Ordered schema steps. Each domain keeps its own DDL beside its code; version 1 is their union. Later changes append
 * a new step here (never edit a released step).
 */
export const migrations: Migration[] = [
  { version: 1, sql: [coreSchema, keysSchema, tokensSchema, remoteSchema].join('\n') },
  // Tokens: id unique through a named index a bulk load can drop; page indexes that carry the filter columns.
  { version: 2, sql: tokensSchemaV2 },
  // Tokens: the twelve claim columns packed into one, filter columns first in the record (bulk loads bind 20 values, not 31).
  { version: 3, sql: tokensSchemaV3 },
  // Tokens: the recycle bin folded into each page order's sort key (index builds ~30% faster, see tokensV4).
  { version: 4, sql: tokensSchemaV4 },
  // Token hygiene: findings and their counts kept by triggers (installed at open from the rules), secret lengths.
  { version: 5, sql: hygieneSchemaV5 },
  // Rotations in progress (resumable) and the keychain accounts of secrets set on Datafor servers.
  { version: 6, sql: [hygieneSchemaV6, remoteSchemaV6].join('\n') }
]
