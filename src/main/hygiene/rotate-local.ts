import { CLAIM_FIELDS, type RotateResult, type TokenRecord } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { Lifecycle } from '../tokens/lifecycle'
import { toRecord } from '../tokens/row'
import { randomAlnum } from '../ids'
import { replacementName, sameLifetime } from '../remote/rotate'
import type { Rotations, RotationState } from './rotation'

interface LocalState extends RotationState {
  old?: Pick<TokenRecord, 'name' | 'brief' | 'avatar' | 'alg' | 'keyName'> & {
    claims: Record<string, string>
    expire: number
  }
  /** The replacement's name, drawn once so a resumed create finds a row it already made. */
  newName?: string
}

/**
 * Local lifecycle token rotate, the xdua way: ADD a copy of the claim fields (same signing key), SET its expiry under
 * the same policy, PUB it; on retire, OFF and DOL the old one (DOL is recoverable with RCC).
 */
export function createLocalRotate(deps: CoreDeps, life: Lifecycle, rotations: Rotations) {
  const current = (id: string) => toRecord(life.read(id))
  const byName = deps.db.prepare<[string], { id: string }>(
    'SELECT id FROM tokens WHERE name = ? AND origin_connection_id IS NULL'
  )

  return function rotateLocal(oldId: string, flags: { retireOld?: boolean; resume?: boolean }): Promise<RotateResult> {
    return rotations.run<LocalState>({
      target: 'local',
      connectionId: null,
      oldId,
      flags,
      steps: {
        'read-old': async (st) => {
          // A pulled copy refuses here (READ_ONLY): it is rotated on its server.
          const r = life.get(oldId)
          life.guard(life.read(oldId), 'SET', null)
          const exp = sameLifetime(
            r.expire ? r.expire * 1000 : null,
            Date.parse(`${r.cstamp.replace(' ', 'T')}Z`) || null,
            deps.now()
          )
          st.old = {
            name: r.name,
            brief: r.brief,
            avatar: r.avatar,
            alg: r.alg,
            keyName: r.keyName,
            claims: Object.fromEntries(CLAIM_FIELDS.map((f) => [f, r[f]])),
            expire: exp === null ? 0 : Math.floor(exp / 1000)
          }
          st.newName = replacementName(r.name, randomAlnum(8))
        },
        'create-new': async (st, _once, ctx) => {
          // The add and its journal entry are two writes: a resume after a crash between them adopts the named copy.
          const made = ctx.resumed ? byName.get(st.newName!) : undefined
          if (made) {
            ctx.detail.found = true
            st.newId = made.id
            return
          }
          const o = st.old!
          const c = o.claims
          const r = life.add({
            name: st.newName,
            brief: o.brief,
            avatar: o.avatar,
            typ: c.typ,
            aud: c.aud,
            sap: c.sap,
            jti: c.jti,
            ipm: c.ipm,
            dvm: c.dvm,
            tag: c.tag,
            api: c.api,
            bug: c.bug,
            shop: c.shop,
            role: c.role,
            rule: c.rule,
            ...(o.keyName ? { keyName: o.keyName } : {}),
            ...(o.alg ? { alg: o.alg as 'HS256' } : {})
          })
          st.newId = r.id
        },
        'copy-fields': async (st) => {
          const n = current(st.newId!)
          if (n.expire !== st.old!.expire) life.set({ id: n.id, version: n.version, expire: st.old!.expire })
        },
        'publish-new': async (st) => {
          const n = current(st.newId!)
          if (!n.published) life.pub(n.id, n.version)
        },
        'offline-old': async () => {
          const o = current(oldId)
          if (o.published && !o.deleted) life.off(o.id, o.version)
        },
        'delete-old': async () => {
          const o = current(oldId)
          if (!o.deleted) life.dol(o.id, o.version)
        }
      }
    })
  }
}
