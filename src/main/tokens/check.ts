import { isAppError, fail } from '../../shared/errors'
import {
  CHECK_NAMES,
  CLAIM_FIELDS,
  type CheckName,
  type JwtVerifyWarning,
  type TokenCheckResult
} from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { JwtService } from '../jwt'
import type { Lifecycle } from './lifecycle'
import type { TokenRow } from './row'
import { deviceAllowed, ipAllowed } from './util'

/** The claim that ties a minted JWT to its record (the ADD fields alone do not identify one). */
const RECORD_CLAIM = 'tid'

/**
 * An ip or device check: the value given is held to the record's pattern; with none given, `*` passes and any other
 * pattern is left unchecked.
 */
function patternCheck(
  pattern: string,
  given: string | undefined,
  allowed: (pattern: string, value: string) => { ok: boolean; detail: string },
  any: string,
  unchecked: string
): [ok: boolean | null, detail: string] {
  if (given !== undefined) {
    const r = allowed(pattern, given)
    return [r.ok, r.detail]
  }
  return pattern.trim() === '*' ? [true, any] : [null, unchecked]
}

export function createMintCheck(deps: CoreDeps, jwt: () => Promise<JwtService>, life: Lifecycle) {
  function keyOf(row: TokenRow): { alg: string; keyName: string } {
    if (!row.alg || !row.key_ref)
      fail('VALIDATION', `Token ${row.id} has no signing key: set one with \`tokens set ${row.id} --key NAME\``, {
        path: 'keyName',
        rule: 'required'
      })
    return { alg: row.alg, keyName: row.key_ref }
  }

  return {
    /** Signs a JWT from a record: its ADD fields as claims, its jti, `tid` = the record id, exp = the record's expiry. */
    async mint(id: string, expiresIn?: number, allowWeakKey = false) {
      const row = life.read(id)
      const { alg, keyName } = keyOf(row)
      const claims: Record<string, unknown> = { [RECORD_CLAIM]: row.id }
      for (const f of CLAIM_FIELDS) if (f !== 'jti') claims[f] = row[f]
      const nowSec = Math.floor(deps.now() / 1000)
      let exp: number | undefined
      if (expiresIn) exp = nowSec + expiresIn
      if (row.expire > 0) exp = exp === undefined ? row.expire : Math.min(exp, row.expire)
      if (exp !== undefined) claims.exp = exp
      const r = await (await jwt()).sign({ alg, key: { keyName }, claims, jti: row.jti, allowWeakKey })
      return { id: row.id, token: r.token, payload: r.payload, warnings: r.warnings }
    },

    /** Every check of contracts/xdua.md "Lifecycle", in order; the answer names the first that failed. */
    async check(token: string, ip?: string, device?: string): Promise<TokenCheckResult> {
      const results = new Map<CheckName, { ok: boolean | null; detail: string }>()
      const put = (name: CheckName, ok: boolean | null, detail: string) => results.set(name, { ok, detail })
      const warnings: JwtVerifyWarning[] = []
      const finish = (id: string | null): TokenCheckResult => {
        const checks = CHECK_NAMES.map((name) => ({
          name,
          ...(results.get(name) ?? { ok: null, detail: 'not checked' })
        }))
        const failed = checks.find((c) => c.ok === false)?.name ?? null
        return { valid: failed === null, failed, id, checks, warnings }
      }
      const engine = await jwt()
      let payload: Record<string, unknown>
      try {
        payload = engine.decode(token).payload
        put('format', true, 'a JWS compact token')
      } catch (e) {
        put('format', false, isAppError(e) ? e.message : 'not a JWT')
        return finish(null)
      }
      const id = typeof payload[RECORD_CLAIM] === 'string' ? (payload[RECORD_CLAIM] as string) : null
      const row = id ? life.find(id) : undefined
      if (!id || !row) {
        put(
          'record',
          false,
          id ? `no token record ${id} in this store` : `the JWT has no "${RECORD_CLAIM}" claim naming a record`
        )
        return finish(id)
      }
      put('record', true, `record ${row.id} (${row.name})`)
      let jwtExpired = false
      if (!row.alg || !row.key_ref) put('signature', false, 'the record has no signing key')
      else {
        try {
          const v = await engine.verify(token, { algorithms: [row.alg], key: { keyName: row.key_ref } })
          warnings.push(...v.warnings)
          put(
            'signature',
            true,
            `${row.alg} with key ${row.key_ref}${v.warnings.length ? ' (weak key: see warnings)' : ''}`
          )
        } catch (e) {
          // jose checks the signature before the claims, so an expired token had a good signature.
          if (isAppError(e) && (e.code === 'JWT_EXPIRED' || e.code === 'JWT_NOT_YET_VALID')) {
            put('signature', true, `${row.alg} with key ${row.key_ref}`)
            jwtExpired = e.code === 'JWT_EXPIRED'
          } else put('signature', false, isAppError(e) ? `${e.code}: ${e.message}` : 'verification failed')
        }
      }
      put(
        'deleted',
        row.deleted_at === null,
        row.deleted_at === null ? 'not in the recycle bin' : 'the token is in the recycle bin'
      )
      put('enabled', row.state === 0, row.state === 0 ? 'enabled' : `disabled (${row.stato})`)
      put('published', row.published === 1, row.published === 1 ? 'online' : 'offline (not published)')
      const nowSec = Math.floor(deps.now() / 1000)
      const recordExpired = row.expire > 0 && row.expire <= nowSec
      put(
        'expired',
        !(recordExpired || jwtExpired),
        recordExpired
          ? `the record expired at ${new Date(row.expire * 1000).toISOString()}`
          : jwtExpired
            ? 'the JWT is past its exp'
            : 'not expired'
      )
      put('ip', ...patternCheck(row.ipm, ip, ipAllowed, 'any IP (`*`)', 'not checked: give --ip'))
      put('device', ...patternCheck(row.dvm, device, deviceAllowed, 'any device (`*`)', 'not checked: give --device'))
      return finish(row.id)
    }
  }
}
