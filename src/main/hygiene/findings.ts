import type { FindingRule, FindingRuleId, InventoryKind } from '../../shared/contract/inventory'
import { encodePermission } from '../tokens/access-tokens'

/**
 * The hygiene rules, all of them. A static rule is a SQL predicate over one table's row (`r.` names the row), kept in
 * the `token_findings` table by triggers; a time rule depends on the clock and is answered from the expiry columns
 * (and, for counts, the per-day buckets) at read time.
 */
export interface RuleDef extends FindingRule {
  /** Static rules: the predicate per table the rule reads (SQL over the row alias `r`). */
  sql?: Partial<Record<InventoryKind, string>>
}

/** Lines of a "\n"-joined permission text, each behind a newline so GLOB can anchor at a line start. */
const LINES = "(char(10) || replace(r.permissions, char(13), ''))"
const NL = 'char(10)'

export const RULES: RuleDef[] = [
  {
    id: 'never-expires',
    severity: 'warning',
    why: 'A token that never expires stays valid for as long as it leaks.',
    fix: 'Set an expiry (renew) and rotate it before then.',
    time: false,
    sql: {
      token: 'r.expire = 0 AND r.deleted_at IS NULL',
      'access-token': 'r.expires IS NULL'
    }
  },
  {
    id: 'expires-soon',
    severity: 'warning',
    why: 'The token expires within the watch window; its consumers break when it does.',
    fix: 'Renew it or rotate it to a new token before it expires.',
    time: true
  },
  {
    id: 'expired-active',
    severity: 'high',
    why: 'The token has expired but is still enabled or published: its state says it is in use.',
    fix: 'Disable (OFF/DIS) and retire it, or renew it if it is still needed.',
    time: true
  },
  {
    id: 'fess-admin',
    severity: 'high',
    why: 'A Fess token with an admin role ({role}admin*) can change the whole search server.',
    fix: 'Give it only the roles its consumer needs; keep admin tokens short-lived.',
    time: false,
    sql: { 'access-token': `${LINES} GLOB '*' || ${NL} || '{role}admin*'` }
  },
  {
    id: 'fess-readback',
    severity: 'warning',
    why: 'Fess reads some permission lines back differently than written (a plain value starting with R, 1, 2 or D).',
    fix: 'Write the line with its prefix: {user}…, {role}… or {group}….',
    time: false,
    // Mirrors encodePermission/decodePermission (a property test holds the two together).
    sql: {
      'access-token': [
        `${LINES} GLOB '*' || ${NL} || '[R12D]*'`,
        `${LINES} GLOB '*' || ${NL} || '(allow)[R12D]*'`,
        `${LINES} GLOB '*' || ${NL} || '(deny)[R12]*'`
      ].join(' OR ')
    }
  },
  {
    id: 'datafor-short-secret',
    severity: 'high',
    why: 'The HMAC secret is shorter than its hash output (RFC 7518 §3.2): it can be brute-forced.',
    fix: 'Rotate the secret to a random one of at least the hash size (32/48/64 bytes).',
    time: false,
    sql: {
      'sso-app':
        "r.algorithm GLOB 'HS[0-9]*' AND (SELECT bytes FROM secret_lengths WHERE ref = r.secret_ref) < CAST(substr(r.algorithm, 3) AS INTEGER) / 8"
    }
  },
  {
    id: 'datafor-admin-autocreate',
    severity: 'high',
    why: 'The SSO config creates missing users (inituser) with an admin role: any token it accepts makes an admin.',
    fix: 'Turn inituser off, or give new users a reader role only.',
    time: false,
    sql: {
      'sso-app':
        "r.inituser = 1 AND EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(r.initroles) THEN r.initroles ELSE '[]' END) WHERE lower(value) LIKE '%admin%')"
    }
  },
  {
    id: 'xdua-open',
    severity: 'high',
    why: 'The xdua token is open to every IP, device and role (ipm, dvm and role all *).',
    fix: 'Narrow ipm, dvm or role to what the consumer needs, then rotate.',
    time: false,
    // claims: the JSON array in CLAIM_FIELDS order (ipm = 4, dvm = 5, role = 10).
    sql: {
      token:
        "r.deleted_at IS NULL AND json_extract(r.claims, '$[4]') = '*' AND json_extract(r.claims, '$[5]') = '*' AND json_extract(r.claims, '$[10]') = '*'"
    }
  },
  {
    id: 'weak-key',
    severity: 'high',
    why: 'The key is too weak for its algorithm (HMAC shorter than the hash, RFC 7518 §3.2; RSA under 2048 bits, §3.3).',
    fix: 'Generate a new key of the right size and move its tokens to it.',
    time: false,
    sql: {
      // RSA: the modulus length from the public JWK (base64url: 4 chars per 3 bytes); HMAC: the keychain value's
      // recorded length (base64url text of the secret), never the secret itself.
      key: [
        "(r.kty = 'RSA' AND length(json_extract(r.public_jwk, '$.n')) * 3 / 4 < 256)",
        "(r.kty = 'oct' AND r.alg GLOB 'HS[0-9]*' AND (SELECT bytes FROM secret_lengths WHERE ref = r.private_ref) * 3 / 4 < CAST(substr(r.alg, 3) AS INTEGER) / 8)"
      ].join(' OR ')
    }
  }
]

export const ruleById = (id: string): RuleDef | undefined => RULES.find((r) => r.id === id)
export const publicRules = (): FindingRule[] => RULES.map(({ sql: _sql, ...r }) => r)

/** The static rules that read a table, with their predicates. */
export function staticRulesFor(kind: InventoryKind): Array<{ id: FindingRuleId; sql: string }> {
  return RULES.filter((r) => r.sql?.[kind]).map((r) => ({ id: r.id, sql: r.sql![kind]! }))
}

/** Whether Fess reads a written permission line back as something else (the existing encode/decode pair). */
export function readsBackChanged(line: string): boolean {
  if (!line.trim()) return false
  const p = encodePermission(line)
  return p.readBack !== p.line
}

/** The time rules of one row at `nowSec`: expiry in seconds (null = never), active = enabled or published. */
export function timeFindings(
  expiry: number | null,
  active: boolean,
  nowSec: number,
  windowSec: number
): FindingRuleId[] {
  if (expiry === null) return []
  if (expiry < nowSec) return active ? ['expired-active'] : []
  return expiry < nowSec + windowSec ? ['expires-soon'] : []
}
