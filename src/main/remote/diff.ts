import type { DiffField, DiffItem, DiffResult, FessToken } from '../../shared/contract'
import type { CoreDeps } from '../core/types'
import type { ConnectionsStore, Profile } from './connections'
import { dataforClient, fessClient, using, xduaClient } from './clients'
import { SSO_SETTINGS, ssoSettings, ssoSettingsOf, type SsoRow } from '../tokens/sso-apps'
import { fessFieldsOf } from '../tokens/access-tokens'

type Db = CoreDeps['db']
type Remote = { id: string; name: string; view: Record<string, unknown> }
type Local = { localId: string; remoteId: string; name: string; view: Record<string, unknown> }
/** One server kind's side of a diff: the fields compared, the server's records and the local copies. */
type Sides = { fields: string[]; remote: Remote[]; local: Local[]; truncated: boolean }
type LinkedRow = { id: string; remote_id: string | null; origin_connection_id: string | null }

function compare(fields: string[], local: Record<string, unknown>, remote: Record<string, unknown>): DiffField[] {
  return fields
    .filter((f) => JSON.stringify(local[f] ?? null) !== JSON.stringify(remote[f] ?? null))
    .map((f) => ({ field: f, local: local[f] ?? null, remote: remote[f] ?? null }))
}

/** The rows that stand for a server record: pulled copies by their remote id, local records by a push's link. */
function linked<R extends LinkedRow>(rows: R[], links: Map<string, string>): Array<{ r: R; remoteId: string }> {
  return rows
    .map((r) => ({
      r,
      remoteId: r.origin_connection_id ? r.remote_id : [...links].find(([, l]) => l === r.id)?.[0]
    }))
    .filter((x): x is { r: R; remoteId: string } => Boolean(x.remoteId))
}

/** The local side of a diff: each linked row by its server's id, seen through `view` (the fields compared). */
function localCopies<R extends LinkedRow & { name: string }>(
  rows: R[],
  links: Map<string, string>,
  view: (r: R) => Record<string, unknown>
): Local[] {
  return linked(rows, links).map(({ r, remoteId }) => ({ localId: r.id, remoteId, name: r.name, view: view(r) }))
}

async function fessSides(db: Db, profile: Profile, connId: string, links: Map<string, string>): Promise<Sides> {
  const list = await using(await fessClient(profile), (c) => c.list({ all: true }))
  const remote = list.items.map((t: FessToken) => ({
    id: t.id,
    name: t.name,
    view: { name: t.name, permissions: t.permissions, parameterName: t.parameterName, expires: t.expires }
  }))
  const rows = db
    .prepare<
      [string],
      LinkedRow & { name: string; permissions: string; parameter_name: string | null; expires: string | null }
    >(
      'SELECT id, name, permissions, parameter_name, expires, remote_id, origin_connection_id FROM access_tokens WHERE origin_connection_id = ? OR origin_connection_id IS NULL'
    )
    .all(connId)
  const local = localCopies(rows, links, fessFieldsOf)
  return { fields: ['name', 'permissions', 'parameterName', 'expires'], remote, local, truncated: list.truncated }
}

async function dataforSides(db: Db, profile: Profile, connId: string, links: Map<string, string>): Promise<Sides> {
  const items = await using(await dataforClient(profile), (c) => c.list())
  const remote = items.map((c) => ({ id: c.name, name: c.name, view: ssoSettings(c) }))
  const rows = db
    .prepare<[string], SsoRow & LinkedRow>(
      'SELECT * FROM sso_apps WHERE origin_connection_id = ? OR origin_connection_id IS NULL'
    )
    .all(connId)
  const local = localCopies(rows, links, ssoSettingsOf)
  return { fields: [...SSO_SETTINGS], remote, local, truncated: false }
}

async function xduaSides(db: Db, profile: Profile, connId: string, links: Map<string, string>): Promise<Sides> {
  const items = await using(await xduaClient(profile), (c) => c.all())
  const remote = items.map((t) => ({
    id: t.id,
    name: t.name ?? t.id,
    view: { name: t.name, brief: t.brief, avatar: t.avatar, state: t.state }
  }))
  const rows = db
    .prepare<[string], LinkedRow & { name: string; brief: string; avatar: string; state: number }>(
      'SELECT id, name, brief, avatar, state, remote_id, origin_connection_id FROM tokens WHERE origin_connection_id = ? OR origin_connection_id IS NULL'
    )
    .all(connId)
  const local = localCopies(rows, links, (r) => ({ name: r.name, brief: r.brief, avatar: r.avatar, state: r.state }))
  return { fields: ['name', 'brief', 'avatar', 'state'], remote, local, truncated: false }
}

/** Diff: what differs between the local copies (pulled or pushed) and the server's records now. */
export function createDiff(deps: CoreDeps, connections: ConnectionsStore) {
  const { db } = deps

  async function diff(connRef: string): Promise<DiffResult> {
    const profile: Profile = connections.profile(connRef)
    const connId = profile.id!
    const links = new Map(
      db
        .prepare<[string], { local_id: string; remote_id: string }>(
          'SELECT local_id, remote_id FROM remote_links WHERE connection_id = ?'
        )
        .all(connId)
        .map((l) => [l.remote_id, l.local_id])
    )
    const sides = profile.kind === 'fess' ? fessSides : profile.kind === 'datafor' ? dataforSides : xduaSides
    const { fields, remote, local, truncated } = await sides(db, profile, connId, links)
    const byRemote = new Map(remote.map((x) => [x.id, x]))
    const items: DiffItem[] = []
    const seen = new Set<string>()
    for (const l of local) {
      const r = byRemote.get(l.remoteId)
      seen.add(l.remoteId)
      if (!r) {
        if (!truncated)
          items.push({ remoteId: l.remoteId, localId: l.localId, name: l.name, status: 'onlyLocal', fields: [] })
        continue
      }
      const f = compare(fields, l.view, r.view)
      items.push({ remoteId: r.id, localId: l.localId, name: r.name, status: f.length ? 'changed' : 'same', fields: f })
    }
    for (const r of remote)
      if (!seen.has(r.id)) items.push({ remoteId: r.id, localId: null, name: r.name, status: 'onlyRemote', fields: [] })
    const counts = { same: 0, changed: 0, onlyLocal: 0, onlyRemote: 0 }
    for (const i of items) counts[i.status]++
    return { connectionId: connId, kind: profile.kind, items, counts, truncated }
  }

  return { diff }
}
