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
  const out: JumpTarget[] = []
  if (tokens.ok)
    out.push(...tokens.value.items.map((r) => ({ kind: 'Token', screen: 'tokens' as const, id: r.id, name: r.name })))
  if (access.ok)
    out.push(
      ...access.value.items.map((r) => ({
        kind: 'Access token',
        screen: 'accessTokens' as const,
        id: r.id,
        name: r.name
      }))
    )
  if (sso.ok)
    out.push(...sso.value.items.map((r) => ({ kind: 'SSO app', screen: 'ssoApps' as const, id: r.id, name: r.name })))
  if (keys.ok)
    out.push(
      ...keys.value
        .filter((k) => has(k.name, k.kid))
        .slice(0, LIMIT)
        .map((k) => ({ kind: 'Key', screen: 'keys' as const, id: k.kid, name: k.name }))
    )
  if (conns.ok)
    out.push(
      ...conns.value
        .filter((c) => has(c.name, c.id))
        .slice(0, LIMIT)
        .map((c) => ({ kind: 'Connection', screen: 'connections' as const, id: c.id, name: c.name }))
    )
  return out
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
