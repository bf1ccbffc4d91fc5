/**
 * The claim fields of a lifecycle token (seed 002 ADD, contracts/xdua.md), in the order the store packs them into its
 * `claims` column (tokens schema v3): changing the order changes how stored rows read.
 */
export const CLAIM_FIELDS = [
  'typ',
  'aud',
  'sap',
  'jti',
  'ipm',
  'dvm',
  'tag',
  'api',
  'bug',
  'shop',
  'role',
  'rule'
] as const
export type ClaimField = (typeof CLAIM_FIELDS)[number]
