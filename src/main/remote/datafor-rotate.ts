import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto'
import { fail } from '../../shared/errors'
import type { RotateResult } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { JwtService } from '../jwt'
import { mayHaveApplied, type Rotations, type RotationState } from '../hygiene/rotation'
import { freshAccount } from '../secrets/rotate'
import type { Profile } from './connections'
import type { DataforSecrets } from './datafor-secrets'
import { dataforClient, using } from './clients'

/** HMAC secrets as long as the hash (RFC 7518 §3.2); EC curves by the hash size of their ES* algorithm. */
const HASH_BYTES: Record<string, number> = { '256': 32, '384': 48, '512': 64 }
const CURVE: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }
const CHECK_USER = 'tokendesk-rotate-check'

interface DataforState extends RotationState {
  algorithm?: string
  config?: { tokenName: string; expire: number; fieldmap: { username: string; name: string; email: string } }
  /** The fresh keychain account of the new secret (HS) or private key (RS/ES, PEM). */
  account?: string
  /** RS/ES: the new public key as the server holds it (Base64 SPKI DER); not a secret. */
  publicKey?: string
  /** Accounts the switch replaced, deleted by the last step. */
  replaced?: string[]
  /** A write whose answer was lost: the server may hold the new secret while the kept ref still names the old one. */
  maybeWritten?: boolean
}

/** A new secret for `alg`: random bytes of its hash size (Base64url text), or a new key pair for RS/ES. */
function newDataforSecret(alg: string): { keep: string; publicKey?: string } {
  const bits = alg.slice(2)
  if (alg.startsWith('HS')) return { keep: randomBytes(HASH_BYTES[bits] ?? 64).toString('base64url') }
  const pair = alg.startsWith('RS')
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: CURVE[alg] ?? 'P-256' })
  return {
    keep: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
  }
}

/**
 * Datafor SSO config rotate-secret: the new value goes to a fresh keychain account, then the whole config is written
 * with it (read, merge, write) and the kept ref switched, then a test token is verified with it: for HS* the server
 * signs one (proving it holds the new secret), for RS/ES TokenDesk mints one with the new private key.
 */
export function createDataforRotate(deps: CoreDeps, rotations: Rotations, kept: DataforSecrets, jwt: JwtService) {
  const value = async (st: DataforState) =>
    (await deps.secrets.get(st.account!)) ??
    fail('SECRET_MISSING', 'The new secret of this rotation is gone from the keychain: start a new rotation')

  return function rotateSecret(p: Profile, name: string, resume: boolean): Promise<RotateResult> {
    const connId =
      p.id ??
      fail('VALIDATION', 'rotate-secret needs a saved connection (the new secret is kept under it)', { path: 'conn' })
    return rotations.run<DataforState>({
      target: 'datafor',
      connectionId: connId,
      oldId: name,
      flags: { retireOld: true, resume },
      init: { newId: name },
      steps: {
        'read-old': async (st) => {
          const c = await using(await dataforClient(p), (cl) => cl.get(name))
          st.algorithm = c.algorithm
          st.config = { tokenName: c.tokenName, expire: c.expire, fieldmap: c.fieldmap }
        },
        'keep-secret': async (st) => {
          const s = newDataforSecret(st.algorithm!)
          const account = freshAccount('datafor', `${connId}/${name}`)
          await deps.secrets.set(account, s.keep)
          st.account = account
          st.publicKey = s.publicKey
        },
        'write-config': async (st) => {
          const secret = st.publicKey ?? (await value(st))
          // The full config as the server has it, with the new secret: Datafor's update replaces everything it is sent.
          try {
            const { replaced } = await kept.adopt(connId, name, st.account!, async () =>
              using(await dataforClient(p), (c) => c.put(name, { secret }))
            )
            st.replaced = replaced
            st.maybeWritten = false
          } catch (e) {
            // Resume writes the same secret again (harmless) and then switches the kept ref: the two agree again.
            st.maybeWritten = mayHaveApplied(e)
            throw e
          }
        },
        verify: async (st, once) => {
          const alg = st.algorithm!
          const keep = await value(st)
          let token: string
          if (alg.startsWith('HS'))
            token = (await using(await dataforClient(p), (c) => c.generate(name, CHECK_USER))).token
          else {
            const cfg = st.config!
            const fieldmap = { username: cfg.fieldmap.username }
            token = (
              await jwt.dataforToken({
                algorithm: alg,
                expire: cfg.expire,
                fieldmap,
                tokenName: cfg.tokenName,
                username: CHECK_USER,
                key: { pem: keep }
              })
            ).token
          }
          const key = alg.startsWith('HS')
            ? { secret: keep }
            : {
                pem: createPublicKey({ key: Buffer.from(st.publicKey!, 'base64'), format: 'der', type: 'spki' })
                  .export({ type: 'spki', format: 'pem' })
                  .toString()
              }
          await jwt.verify(token, { algorithms: [alg], key })
          if (st.publicKey) once.publicKey = st.publicKey
        },
        'delete-old': async (st) => {
          for (const a of st.replaced ?? []) await deps.secrets.delete(a).catch(() => false)
        }
      },
      notes: (st) =>
        st.replaced
          ? [
              `Tokens signed with the old ${st.publicKey ? 'private key' : 'secret'} no longer log in to "${name}": systems that mint them need the new one (kept in the keychain; remote datafor mint uses it).`
            ]
          : st.maybeWritten
            ? [
                `The server may already hold the new ${st.publicKey ? 'public key' : 'secret'} (its answer was lost): tokens signed with the old one may no longer log in, and remote datafor mint still uses the old one until you resume, which writes the new one again and switches to it.`
              ]
            : ['The old secret still works: the new one is not on the server yet (resume to finish).']
    })
  }
}
