import { useEffect, useState } from 'react'
import { Command } from 'cmdk'
import { call } from '../api'
import type { ScreenId } from '../stores/ui.store'
import { useDebounced } from './ui'

export interface JumpTarget {
  kind: string
  screen: ScreenId
  id: string
  name: string
}

const LIMIT = 5

/** Records whose name or id matches the typed text, across tokens, access tokens, SSO apps, keys and connections. */
async function findJumpTargets(q: string): Promise<JumpTarget[]> {
  const lower = q.toLowerCase()
  const has = (...v: string[]) => v.some((x) => x.toLowerCase().includes(lower))
  const [tokens, access, sso, keys, conns] = await Promise.all([
    call('tokens:list', { search: q, limit: LIMIT }),
    call('accessTokens:list', { search: q, limit: LIMIT }),
    call('ssoApps:list', { search: q, limit: LIMIT }),
    call('keys:list', {}),
    call('connections:list', {})
  ])
  const found = (kind: string, screen: ScreenId, rows: { id: string; name: string }[]): JumpTarget[] =>
    rows.map((r) => ({ kind, screen, id: r.id, name: r.name }))
  // Keys and connections come as whole lists: matched here, and cut to the same limit as the searched lists.
  const matching = <R,>(rows: R[], text: (r: R) => string[]) => rows.filter((r) => has(...text(r))).slice(0, LIMIT)
  return [
    ...(tokens.ok ? found('Token', 'tokens', tokens.value.items) : []),
    ...(access.ok ? found('Access token', 'accessTokens', access.value.items) : []),
    ...(sso.ok ? found('SSO app', 'ssoApps', sso.value.items) : []),
    ...(keys.ok
      ? found(
          'Key',
          'keys',
          matching(keys.value, (k) => [k.name, k.kid]).map((k) => ({ id: k.kid, name: k.name }))
        )
      : []),
    ...(conns.ok
      ? found(
          'Connection',
          'connections',
          matching(conns.value, (c) => [c.name, c.id])
        )
      : [])
  ]
}

/** The palette's "Jump to" group: search results as items, kept whatever cmdk's own filter thinks of them. */
export function JumpGroup({ search, onJump }: { search: string; onJump: (t: JumpTarget) => void }) {
  const q = useDebounced(search.trim(), 150)
  const [found, setFound] = useState<JumpTarget[]>([])
  useEffect(() => {
    let live = true
    if (q.length < 2) setFound([])
    else void findJumpTargets(q).then((r) => live && setFound(r))
    return () => {
      live = false
    }
  }, [q])
  if (!found.length) return null
  return (
    <Command.Group heading="Jump to">
      {found.map((t) => (
        <Command.Item
          key={`${t.kind}:${t.id}`}
          value={`jump ${t.kind} ${t.name} ${t.id} ${search}`}
          onSelect={() => onJump(t)}
        >
          {t.kind}: {t.name} <span className="muted mono">{t.id}</span>
        </Command.Item>
      ))}
    </Command.Group>
  )
}
