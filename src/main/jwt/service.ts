import { resolve as resolvePath } from 'node:path'
import type {
  JwtDataforResult,
  JwtDecoded,
  JwtExplanation,
  JwtMintResult,
  JwtSignResult,
  JwtVerifyResult
} from '../../shared/contract'
import { fail } from '../../shared/errors'
import type { CoreDeps } from '../core/types'
import { ALGORITHMS, toAlg } from './algorithms'
import { b64url } from './codec'
import {
  buildHeader,
  buildPayload,
  prepareSigner,
  prepareVerifier,
  signWithKey,
  verifyWithKey,
  type AutoClaims,
  type SignSpec
} from './engine'
import { decodeToken, explainToken, type ExplainOptions } from './explain'
import {
  decodeSecret,
  KeyCache,
  keyFromJwk,
  keyFromPem,
  keyWarnings,
  secretKey,
  type KeySource,
  type ResolvedKey
} from './keymaterial'
import { createKeyStore, type KeyStore } from './keystore'
import { defaultWorkers, openMintOutput, runMint, type MintCtx } from './mint'
import { dataforLoginUrl, dataforSpec, xduaSpec, type DataforTemplate, type XduaTemplate } from './templates'

export type { KeySource } from './keymaterial'

/** service.sign options (the cross-domain API). */
export interface SignOptions extends SignSpec {
  key: KeySource
}

export interface VerifyOptions {
  algorithms: string[]
  key: KeySource
  audience?: string | string[]
  issuer?: string
  clockTolerance?: string | number
  allowWeakKey?: boolean
}

export interface DataforOptions extends DataforTemplate {
  key: KeySource
}

export interface XduaOptions extends XduaTemplate {
  key: KeySource
}

export interface MintOptions {
  count: number
  out: string
  format?: 'jsonl' | 'csv'
  workers?: number
  overwrite?: boolean
  sign?: SignOptions
  datafor?: DataforOptions
}

/**
 * The JWT engine's service: the API the tokens and remote domains code against. Every
 * failure is an AppError with a stable code (JWT_* for token refusals).
 */
export interface JwtService {
  sign(opts: SignOptions): Promise<JwtSignResult>
  verify(token: string, opts: VerifyOptions): Promise<JwtVerifyResult>
  /** Unverified decode (result.verified is false and result.notice says so). */
  decode(token: string): JwtDecoded
  explain(token: string, opts?: ExplainOptions): JwtExplanation
  dataforToken(opts: DataforOptions): Promise<JwtDataforResult>
  xduaToken(opts: XduaOptions): Promise<JwtSignResult>
  /** Starts a bulk-mint job (progress and cancel through deps.jobs); checks key and output before returning. */
  mintStart(opts: MintOptions): Promise<{ jobId: string }>
  /** The same bulk mint, run in the caller's task (tests, bench). */
  mint(opts: MintOptions, ctx: MintCtx): Promise<JwtMintResult>
  /** Imports (once, cached) the key a source names, for sign or verify. */
  resolveKey(src: KeySource, purpose: 'sign' | 'verify'): Promise<ResolvedKey>
  /** A synchronous signer over a resolved key, for hot loops (bench, bulk paths): same bytes as sign(). */
  signer(alg: string, key: ResolvedKey, opts?: { allowWeakKey?: boolean }): (spec: Omit<SignSpec, 'alg'>) => string
  /** A verifier over a resolved key, options checked once: the same checks (through jose) and codes as verify(). */
  verifier(opts: Omit<VerifyOptions, 'key'>, key: ResolvedKey): (token: string) => Promise<JwtVerifyResult>
  readonly algorithms: readonly string[]
  readonly keys: KeyStore
}

export function createJwtService(deps: CoreDeps): JwtService {
  const keys = createKeyStore(deps)
  const material = new KeyCache<ResolvedKey>()
  const nowSec = () => Math.floor(deps.now() / 1000)

  async function resolveKey(src: KeySource, purpose: 'sign' | 'verify'): Promise<ResolvedKey> {
    if ('keyName' in src) return keys.resolve(src.keyName, purpose)
    let id: string
    let load: () => ResolvedKey
    if ('secret' in src) {
      id = `s\0${src.encoding ?? 'utf8'}\0${src.secret}`
      load = () => secretKey(decodeSecret(src.secret, src.encoding))
    } else if ('pem' in src) {
      id = `p\0${src.pem}`
      load = () => keyFromPem(src.pem)
    } else if ('jwk' in src) {
      id = `j\0${src.kid ?? ''}\0${JSON.stringify(src.jwk)}`
      load = () => keyFromJwk(src.jwk, src.kid)
    } else return fail('VALIDATION', 'Give a key: a stored key name, a secret, PEM text or a JWK.', { path: 'key' })
    return material.get(id) ?? material.set(id, load())
  }

  // Stored keys deleted through the store must not live on in the material cache (they are not in it: stored keys
  // are cached by the store itself, per kid).

  async function signWith(spec: SignSpec, key: KeySource, auto?: AutoClaims): Promise<JwtSignResult> {
    const rk = await resolveKey(key, 'sign')
    return signWithKey(spec, rk, nowSec(), auto)
  }

  async function prepareMint(opts: MintOptions) {
    let spec: SignSpec
    let key: KeySource
    if (opts.datafor) {
      spec = dataforSpec(opts.datafor).spec
      key = opts.datafor.key
    } else if (opts.sign) {
      spec = opts.sign
      key = opts.sign.key
    } else return fail('VALIDATION', 'Give sign options or a Datafor template.', { path: 'sign' })
    const alg = toAlg(spec.alg)
    const rk = await resolveKey(key, 'sign')
    if (!rk.signing)
      fail('JWT_KEY_TYPE', 'This is a public key: it can verify tokens, not sign them. Give the private key.')
    const warnings = keyWarnings(alg, rk, rk.signing, Boolean(spec.allowWeakKey))
    // Every minted token gets its own jti (a UUID appended by the worker); the shared claims are fixed once.
    const base = buildPayload({ ...spec, jti: undefined }, nowSec(), { iat: !opts.datafor, jti: false })
    delete base.jti
    const headerB64 = b64url(JSON.stringify(buildHeader(alg, spec.header, rk.kid)))
    const plan = { alg, key: rk.signing, headerB64, baseJson: JSON.stringify(base), format: opts.format ?? 'jsonl' }
    return { plan, warnings }
  }

  const service: JwtService = {
    algorithms: ALGORITHMS,
    keys,
    resolveKey,

    sign: (opts) => signWith(opts, opts.key),

    async verify(token, opts) {
      const rk = await resolveKey(opts.key, 'verify')
      return verifyWithKey(token, opts, rk, nowSec())
    },

    decode: (token) => decodeToken(token),
    explain: (token, opts) => explainToken(token, deps.now(), opts),

    async dataforToken(opts) {
      const { spec, auto } = dataforSpec(opts)
      const r = await signWith(spec, opts.key, auto)
      return {
        token: r.token,
        loginUrl: dataforLoginUrl(opts, r.token),
        payload: r.payload,
        header: r.header,
        warnings: r.warnings
      }
    },

    xduaToken: (opts) => signWith(xduaSpec(opts), opts.key),

    async mintStart(opts) {
      // Absolute, so the job's result names the file whatever the caller's working directory.
      opts = { ...opts, out: resolvePath(opts.out) }
      const { plan } = await prepareMint(opts)
      const fd = openMintOutput(opts.out, Boolean(opts.overwrite))
      const jobId = deps.jobs.start(
        'jwt:mint',
        (ctx) => runMint({ plan, count: opts.count, out: opts.out, workers: opts.workers }, fd, ctx),
        opts.count
      )
      return { jobId }
    },

    async mint(opts, ctx) {
      opts = { ...opts, out: resolvePath(opts.out) }
      const { plan } = await prepareMint(opts)
      const fd = openMintOutput(opts.out, Boolean(opts.overwrite))
      return runMint({ plan, count: opts.count, out: opts.out, workers: opts.workers ?? defaultWorkers() }, fd, ctx)
    },

    signer(algName, rk, o = {}) {
      const sign = prepareSigner(toAlg(algName), rk, Boolean(o.allowWeakKey))
      return (spec) => sign(spec, nowSec())
    },

    verifier(opts, rk) {
      const verify = prepareVerifier(opts, rk)
      return (token) => verify(token, nowSec())
    }
  }
  return service
}
