import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import { calculateJwkThumbprint, type JWK } from 'jose'
import type { KeyExport, KeyInfo } from '../../shared/contract'
import { AppError, fail } from '../../shared/errors'
import type { CoreDeps } from '../core/types'
import type { Db } from '../db'
import { commitSecrets, removeWithSecrets } from '../secrets/rotate'
import { ALG_INFO, checkKeyFits, defaultAlgFor, describeShape, shapeOf, toAlg, type Alg } from './algorithms'
import { decodeSecret, keyFromJwk, keyFromPem, secretKey, type ResolvedKey, type SecretEncoding } from './keymaterial'

/** generateKeyPair as a promise, made on first use: loading the JWT engine to decode a token loads no node:crypto. */
const promisedKeyPair = () => promisify(generateKeyPair)
let keyPairAsync: ReturnType<typeof promisedKeyPair> | undefined
const generateKeyPairAsync = () => (keyPairAsync ??= promisedKeyPair())

interface KeyRow {
  kid: string
  name: string
  alg: string
  kty: string
  public_jwk: string | null
  private_ref: string | null
  created: string
  version: number
}

export type ImportSource =
  { pem: string } | { jwk: Record<string, unknown>; kid?: string } | { secret: string; encoding?: SecretEncoding }

export type ExportFormat = 'jwk' | 'jwks' | 'pem'

export interface KeyStore {
  generate(o: { name: string; alg: string; modulusLength?: number; secretBytes?: number }): Promise<KeyInfo>
  import(o: { name: string; alg?: string; source: ImportSource }): Promise<KeyInfo>
  export(o: { name?: string; format: ExportFormat }): KeyExport
  list(): KeyInfo[]
  get(nameOrKid: string): KeyInfo
  delete(nameOrKid: string): Promise<{ kid: string; name: string; deleted: true }>
  /** The key for sign (needs the keychain) or verify (public keys come from the row alone), cached per kid. */
  resolve(nameOrKid: string, purpose: 'sign' | 'verify'): Promise<ResolvedKey>
}

const RSA_SIZES = [2048, 3072, 4096]

function prepare(db: Db) {
  return {
    byName: db.prepare<[{ n: string }], KeyRow>(
      'SELECT * FROM keys WHERE name = @n OR kid = @n ORDER BY name = @n DESC LIMIT 1'
    ),
    all: db.prepare<[], KeyRow>('SELECT * FROM keys ORDER BY name'),
    insert: db.prepare(
      'INSERT INTO keys (kid, name, alg, kty, public_jwk, private_ref, created) VALUES (@kid, @name, @alg, @kty, @public_jwk, @private_ref, @created)'
    ),
    remove: db.prepare('DELETE FROM keys WHERE kid = ?')
  }
}

/** A stored key as the contract shows it: its public part and shape, never the private half. */
function info(r: KeyRow): KeyInfo {
  const jwk = r.public_jwk ? (JSON.parse(r.public_jwk) as Record<string, unknown>) : null
  let crv: string | undefined
  let bits: number | undefined
  if (jwk) {
    const s = shapeOf(createPublicKey({ key: jwk as never, format: 'jwk' }))
    crv = s.crv
    bits = s.bits
  }
  return {
    kid: r.kid,
    name: r.name,
    alg: r.alg as Alg,
    kty: r.kty as KeyInfo['kty'],
    ...(crv ? { crv } : {}),
    ...(bits ? { bits } : {}),
    hasPrivate: r.private_ref !== null,
    created: r.created,
    publicJwk: jwk
  }
}

/** A new key pair of an asymmetric alg's family (RSA of an allowed size, the alg's EC curve, or Ed25519). */
function newKeyPair(
  a: (typeof ALG_INFO)[Alg],
  modulusLength = 2048
): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  if (a.family === 'RS' || a.family === 'PS') {
    if (!RSA_SIZES.includes(modulusLength))
      fail('VALIDATION', `RSA size must be one of ${RSA_SIZES.join(', ')}.`, { path: 'modulusLength' })
    return generateKeyPairAsync()('rsa', { modulusLength })
  }
  if (a.family === 'ES') return generateKeyPairAsync()('ec', { namedCurve: a.curve! })
  return generateKeyPairAsync()('ed25519')
}

type Material = { secret?: KeyObject; priv?: KeyObject; pub?: KeyObject }

/** The row fields of a new key: its kid, type, public JWK and the private text that goes to the keychain. */
async function describeMaterial(alg: Alg, material: Material) {
  let kid: string
  let publicJwk: Record<string, unknown> | null = null
  let privateText: string | null = null
  let kty: KeyInfo['kty']
  if (material.secret) {
    kty = 'oct'
    // A random kid: a thumbprint of an HMAC secret would be a hash of the secret, brute-forceable when it is weak.
    kid = randomBytes(12).toString('base64url')
    privateText = material.secret.export().toString('base64url')
  } else {
    const pub = material.pub ?? createPublicKey(material.priv!)
    const jwk = pub.export({ format: 'jwk' }) as JWK
    kty = jwk.kty as KeyInfo['kty']
    // RFC 7638 thumbprint: a stable kid that any JOSE library can recompute from the public key.
    kid = await calculateJwkThumbprint(jwk)
    publicJwk = { ...jwk, kid, alg, use: 'sig' }
    if (material.priv) privateText = material.priv.export({ format: 'pem', type: 'pkcs8' }).toString()
  }
  return { kid, kty, publicJwk, privateText }
}

/** An imported key and the alg it will serve, refused here when it cannot serve it rather than at first use. */
function resolveImport(source: ImportSource, wanted: string | undefined): { rk: ResolvedKey; alg: Alg } {
  let rk: ResolvedKey
  if ('secret' in source) rk = secretKey(decodeSecret(source.secret, source.encoding))
  else if ('pem' in source) rk = keyFromPem(source.pem)
  else rk = keyFromJwk(source.jwk, source.kid)
  const alg = wanted ? toAlg(wanted) : (rk.alg ?? defaultAlgFor(rk.shape))
  if (rk.alg && rk.alg !== alg) fail('JWT_KEY_TYPE', `The JWK says alg ${rk.alg}, not ${alg}.`)
  // Weak HMAC secrets may still be stored (Datafor's own example uses "abcd"); using them needs the explicit opt-in.
  try {
    checkKeyFits(alg, rk.verifying, true)
  } catch (e) {
    if (e instanceof AppError)
      throw new AppError(e.code, `${e.message} (importing ${describeShape(rk.shape)})`, e.details)
    throw e
  }
  return { rk, alg }
}

export function createKeyStore(deps: CoreDeps): KeyStore {
  const { secrets } = deps
  // Prepared on first use: decoding or signing with an inline key never opens the store.
  let prepared: ReturnType<typeof prepare> | null = null
  const stmts = () => (prepared ??= prepare(deps.db))
  // Per-kid cache of imported KeyObjects: the public half from the row, the private half from the keychain once.
  const cache = new Map<string, { verify?: ResolvedKey; sign?: ResolvedKey }>()

  const row = (nameOrKid: string): KeyRow => {
    const r = stmts().byName.get({ n: nameOrKid })
    if (!r) fail('NOT_FOUND', `No stored key named "${nameOrKid}".`, { name: nameOrKid })
    return r
  }

  /** Keychain first, then the row (team rule): an unreachable keychain writes nothing; a failed row write is undone. */
  async function store(name: string, alg: Alg, material: Material): Promise<KeyInfo> {
    if (stmts().byName.get({ n: name })) fail('CONFLICT', `A key named "${name}" already exists.`, { path: 'name' })
    const { kid, kty, publicJwk, privateText } = await describeMaterial(alg, material)
    if (deps.db.prepare('SELECT 1 FROM keys WHERE kid = ?').get(kid))
      fail('CONFLICT', `This key is already stored (kid ${kid}).`, { kid })
    const write = privateText !== null ? [{ kind: 'key', id: kid, value: privateText }] : []
    await commitSecrets(secrets, write, [], ([ref]) => {
      try {
        stmts().insert.run({
          kid,
          name,
          alg,
          kty,
          public_jwk: publicJwk ? JSON.stringify(publicJwk) : null,
          private_ref: ref ?? null,
          created: new Date(deps.now()).toISOString()
        })
      } catch (e) {
        if (e instanceof Error && /UNIQUE/.test(e.message))
          fail('CONFLICT', `A key named "${name}" or with kid ${kid} already exists.`, { path: 'name', kid })
        throw e
      }
    })
    return info(row(kid))
  }

  return {
    async generate(o) {
      const alg = toAlg(o.alg)
      const a = ALG_INFO[alg]
      if (a.family === 'HS') {
        const n = o.secretBytes ?? a.hashBytes
        if (n < a.hashBytes)
          fail('VALIDATION', `RFC 7518 §3.2: a ${alg} secret needs at least ${a.hashBytes} bytes.`, {
            path: 'secretBytes'
          })
        return store(o.name, alg, { secret: secretKey(randomBytes(n)).verifying })
      }
      const pair = await newKeyPair(a, o.modulusLength)
      return store(o.name, alg, { priv: pair.privateKey, pub: pair.publicKey })
    },

    async import(o) {
      const { rk, alg } = resolveImport(o.source, o.alg)
      if (rk.shape.kty === 'oct') return store(o.name, alg, { secret: rk.verifying })
      return store(o.name, alg, { priv: rk.signing ?? undefined, pub: rk.verifying })
    },

    export(o) {
      if (o.format === 'jwks' && !o.name) {
        const keys = stmts()
          .all.all()
          .filter((r) => r.public_jwk)
          .map((r) => JSON.parse(r.public_jwk!) as Record<string, unknown>)
        return { format: 'jwks', jwks: { keys } }
      }
      if (!o.name) fail('VALIDATION', 'Name the key to export (only a JWKS can hold all keys).', { path: 'name' })
      const r = row(o.name)
      if (!r.public_jwk)
        fail(
          'UNSUPPORTED',
          `"${r.name}" is an HMAC secret: it has no public part to export, and secrets are never exported.`
        )
      const jwk = JSON.parse(r.public_jwk) as Record<string, unknown>
      if (o.format === 'jwks') return { format: 'jwks', jwks: { keys: [jwk] } }
      if (o.format === 'jwk') return { format: 'jwk', name: r.name, kid: r.kid, jwk }
      const pem = createPublicKey({ key: jwk as never, format: 'jwk' })
        .export({ format: 'pem', type: 'spki' })
        .toString()
      return { format: 'pem', name: r.name, kid: r.kid, pem }
    },

    list: () => stmts().all.all().map(info),
    get: (nameOrKid) => info(row(nameOrKid)),

    async delete(nameOrKid) {
      const r = row(nameOrKid)
      await removeWithSecrets(secrets, [r.private_ref], () => stmts().remove.run(r.kid))
      cache.delete(r.kid)
      return { kid: r.kid, name: r.name, deleted: true }
    },

    async resolve(nameOrKid, purpose) {
      const r = row(nameOrKid)
      let c = cache.get(r.kid)
      if (!c) cache.set(r.kid, (c = {}))
      const meta = { kid: r.kid, alg: r.alg as Alg, name: r.name }
      if (purpose === 'verify' && c.verify) return c.verify
      if (c.sign) return c.sign
      if (purpose === 'verify' && r.public_jwk) {
        const pub = createPublicKey({ key: JSON.parse(r.public_jwk), format: 'jwk' })
        return (c.verify = { signing: null, verifying: pub, shape: shapeOf(pub), ...meta })
      }
      if (!r.private_ref)
        fail('JWT_KEY_TYPE', `"${r.name}" holds a public key only: it can verify, not sign.`, { name: r.name })
      const text = await secrets.get(r.private_ref)
      if (text === null) fail('SECRET_MISSING', `The keychain item for key "${r.name}" is missing.`, { name: r.name })
      let rk: ResolvedKey
      if (r.kty === 'oct') rk = { ...secretKey(Buffer.from(text, 'base64url')), ...meta }
      else {
        const priv = createPrivateKey(text)
        rk = { signing: priv, verifying: createPublicKey(priv), shape: shapeOf(priv), ...meta }
      }
      c.sign = rk
      c.verify = rk
      return rk
    }
  }
}
