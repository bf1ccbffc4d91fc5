/**
 * Fess admin access-token API emulator, built to ../shared/contracts/fess.md (Fess 15.7), quirks included.
 *
 *   const fess = await startFessEmulator({ tokens: 60, adminToken: 'A'.repeat(60) })
 *   fess.url            // http://127.0.0.1:<port> (Fess base URL; the API lives under /api/admin/accesstoken)
 *   fess.adminToken     // 60-char value of the seeded admin token (permissions `{role}admin-api`)
 *   fess.state.items    // Map id -> stored item (permissions stored encoded: R/1/2/D lines)
 *   fess.requests       // request log; fess.setFault({kind:'html'}) etc. (see common.ts)
 *   await fess.close()
 *
 * Options: `version` ('15.7' default; '14.x' or any '14.N' swaps POST/PUT on /setting), `tokens` (extra seeded tokens,
 * named token-00001...), `seed` (PRNG seed for the seeded data), `adminToken`, `userToken` (a seeded token WITHOUT
 * admin permission), `now` (clock, ms), `maxSize` (a list page holds at most this many items whatever `size` asks; the
 * offset follows the capped size), `echoCredential` (the auth failure message repeats the Authorization header, as in
 * `Invalid access token: Bearer ...`). The admin token is a stored item too, so a list shows tokens + 1 items (+1
 * more with userToken). Times are read and written in UTC (the emulated server's own zone).
 *
 * Quirks kept (contracts/fess.md): snake_case JSON both ways, camelCase keys ignored; paging read only from the JSON
 * body (any method on /settings); every auth failure is HTTP 200 status 3; update replaces every field it is not sent;
 * version_no is required but not enforced and always answered as -1; total capped at 10000; page*size > 10000 is
 * HTTP 500 status 2; the body is parsed (400 on bad JSON) before the token is checked.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import {
  json,
  randomString,
  startEmulator,
  type Emulator,
  type EmulatorBaseOptions,
  type LoggedRequest,
  type Reply
} from './common'
import { mulberry32 } from '../../src/shared/prng'

export interface FessItem {
  id: string
  name: string
  token: string
  /** Stored form: lines joined by \n, each encoded (R/1/2/D). */
  permissions: string
  parameter_name?: string
  expires?: string
  created_by: string
  created_time: number
  updated_by: string
  updated_time: number
}

export interface FessEmulatorOptions extends EmulatorBaseOptions {
  version?: string
  tokens?: number
  seed?: number
  adminToken?: string
  userToken?: string
  now?: () => number
  maxSize?: number
  echoCredential?: boolean
}

export interface FessEmulator extends Emulator {
  adminToken: string
  userToken: string | null
  version: string
  /** `items` may be changed directly (server-side edits in tests); call `changed()` afterwards (the sort is cached). */
  state: { items: Map<string, FessItem>; changed(): void }
}

const BASE = '/api/admin/accesstoken'
const MAX_WINDOW = 10_000
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const ID_CHARS = ALNUM + '-_'

export function secureToken(): string {
  // 60 characters of [A-Za-z0-9] from a secure source (contracts/fess.md "Auth"); rejection sampling keeps it uniform.
  let out = ''
  while (out.length < 60) {
    for (const b of randomBytes(80)) if (b < 248 && out.length < 60) out += ALNUM[b % 62]
  }
  return out
}

/** `{role}x` -> `Rx`, `{user}x` -> `1x`, `{group}x` -> `2x`, `(deny)` adds `D`, `(allow)` dropped. */
export function encodePermission(line: string): string {
  let s = line
  let deny = ''
  if (s.startsWith('(deny)')) {
    deny = 'D'
    s = s.slice(6)
  } else if (s.startsWith('(allow)')) s = s.slice(7)
  if (s.startsWith('{role}')) s = `R${s.slice(6)}`
  else if (s.startsWith('{user}')) s = `1${s.slice(6)}`
  else if (s.startsWith('{group}')) s = `2${s.slice(7)}`
  return deny + s
}

/** Output decodes by the first character, so a plain `Robert` comes back `{role}obert` (the real server does this). */
export function decodePermission(stored: string): string {
  const c = stored[0]
  const rest = stored.slice(1)
  if (c === 'R') return `{role}${rest}`
  if (c === '1') return `{user}${rest}`
  if (c === '2') return `{group}${rest}`
  if (c === 'D') return `(deny)${decodePermission(rest)}`
  return stored
}

function normalizePermissions(text: string): string {
  const seen = new Set<string>()
  for (const raw of text.split('\n')) {
    const l = raw.trim()
    if (l) seen.add(encodePermission(l))
  }
  return [...seen].join('\n')
}

function fmtExpires(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19)
}

export async function startFessEmulator(opts: FessEmulatorOptions = {}): Promise<FessEmulator> {
  const version = opts.version === '14.x' ? '14.19' : (opts.version ?? '15.7')
  const swapped = Number(version.split('.')[0]) <= 14
  const now = opts.now ?? Date.now
  const rand = mulberry32(opts.seed ?? 1)
  const items = new Map<string, FessItem>()
  let sorted: FessItem[] | null = null
  const newId = () => {
    let id: string
    do id = randomString(rand, 20, ID_CHARS)
    while (items.has(id))
    return id
  }
  const put = (it: FessItem) => {
    items.set(it.id, it)
    sorted = null
  }
  const adminToken = opts.adminToken ?? secureToken()
  const t0 = now() - 86_400_000
  put({
    id: newId(),
    name: 'admin-api',
    token: adminToken,
    permissions: 'Radmin-api',
    created_by: 'admin',
    created_time: t0,
    updated_by: 'admin',
    updated_time: t0
  })
  const userToken = opts.userToken ?? null
  if (userToken)
    put({
      id: newId(),
      name: 'search-only',
      token: userToken,
      permissions: 'Rguest',
      created_by: 'admin',
      created_time: t0,
      updated_by: 'admin',
      updated_time: t0
    })
  for (let i = 1; i <= (opts.tokens ?? 0); i++) {
    const perms = ['Rguest', `1user${i % 7}`, i % 3 === 0 ? 'Deditors' : '', i % 5 === 0 ? '2sales' : '']
      .filter(Boolean)
      .join('\n')
    put({
      id: newId(),
      name: `token-${String(i).padStart(5, '0')}`,
      token: randomString(rand, 60),
      permissions: perms,
      ...(i % 4 === 0 ? { parameter_name: 'perm' } : {}),
      ...(i % 6 === 0 ? { expires: fmtExpires(t0 + 365 * 86_400_000 + i * 1000) } : {}),
      created_by: 'admin',
      created_time: t0 + i,
      updated_by: 'admin',
      updated_time: t0 + i
    })
  }

  const env = (fields: Record<string, unknown>, status: number) => ({ response: { ...fields, version, status } })
  const ok = (fields: Record<string, unknown> = {}) => json(200, env(fields, 0))
  const bad = (message: string) => json(400, env({ message }, 1))
  const sysErr = () => json(500, env({ message: `error_code:${randomUUID()}` }, 2))
  const unauthorized = (r: LoggedRequest) =>
    json(
      200,
      env(
        {
          message: opts.echoCredential
            ? `Invalid access token: ${String(r.headers.authorization ?? '')}`
            : 'Unauthorized request.'
        },
        3
      )
    )

  const output = (it: FessItem) => {
    const o: Record<string, unknown> = {
      id: it.id,
      name: it.name,
      token: it.token,
      permissions: it.permissions ? it.permissions.split('\n').map(decodePermission).join('\n') : ''
    }
    if (it.parameter_name != null) o.parameter_name = it.parameter_name
    if (it.expires != null) o.expires = it.expires
    Object.assign(o, {
      created_by: it.created_by,
      created_time: it.created_time,
      updated_by: it.updated_by,
      updated_time: it.updated_time,
      version_no: -1
    })
    return o
  }

  const expiryMs = (it: FessItem) => (it.expires ? Date.parse(`${it.expires}Z`) : 0)

  const authorized = (r: LoggedRequest): boolean => {
    const h = r.headers.authorization
    if (typeof h !== 'string' || h.length === 0) return false
    let value = h
    if (h.startsWith('Bearer ')) value = h.slice(7)
    // Exact `Bearer <token>` or the bare token: anything with a space left (`Bearer  x`, `Basic x`) is malformed.
    if (!value || /\s/.test(value)) return false
    const it = [...items.values()].find((x) => x.token === value)
    if (!it) return false
    const exp = expiryMs(it)
    if (exp > 0 && exp < now()) return false
    const perms = it.permissions ? it.permissions.split('\n') : []
    // The real server's quirk: values of the parameter named by the token's parameter_name join its permissions.
    if (it.parameter_name && r.query[it.parameter_name] !== undefined) perms.push(r.query[it.parameter_name])
    return perms.includes('Radmin-api')
  }

  const validate = (b: Record<string, unknown>, update: boolean): string[] => {
    const msgs: string[] = []
    if (update) {
      if (b.id == null || b.id === '') msgs.push('ID is required.')
      if (b.version_no == null) msgs.push('Version No is required.')
    }
    const name = typeof b.name === 'string' ? b.name.trim() : ''
    if (!name) msgs.push('Name is required.')
    else if (name.length > 1000) msgs.push('The size of Name must be between 0 and 1000.')
    if (typeof b.permissions === 'string' && b.permissions.length > 10000)
      msgs.push('The size of Permissions must be between 0 and 10000.')
    if (typeof b.parameter_name === 'string' && b.parameter_name.length > 10000)
      msgs.push('The size of Parameter Name must be between 0 and 10000.')
    if (b.expires != null && b.expires !== '' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(String(b.expires)))
      msgs.push('Expires does not match "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]".')
    return msgs
  }

  // Jackson binding: a field of the wrong JSON type fails the whole body (400, error_code).
  const typesOk = (b: Record<string, unknown>): boolean => {
    const str = (k: string) => b[k] == null || typeof b[k] === 'string'
    const int = (k: string) => b[k] == null || (typeof b[k] === 'number' && Number.isInteger(b[k]))
    return (
      str('id') &&
      str('name') &&
      str('permissions') &&
      str('parameter_name') &&
      str('expires') &&
      int('version_no') &&
      int('size') &&
      int('page')
    )
  }

  const create = (b: Record<string, unknown>): Reply => {
    const msgs = validate(b, false)
    if (msgs.length) return bad(msgs.join(' '))
    const t = now()
    const it: FessItem = {
      id: newId(),
      name: String(b.name).trim(),
      token: secureToken(),
      permissions: normalizePermissions(typeof b.permissions === 'string' ? b.permissions : ''),
      ...(typeof b.parameter_name === 'string' && b.parameter_name !== '' ? { parameter_name: b.parameter_name } : {}),
      ...(typeof b.expires === 'string' && b.expires !== '' ? { expires: b.expires } : {}),
      created_by: 'guest',
      created_time: t,
      updated_by: 'guest',
      updated_time: t
    }
    put(it)
    return ok({ id: it.id, created: true })
  }

  const update = (b: Record<string, unknown>): Reply => {
    const msgs = validate(b, true)
    if (msgs.length) return bad(msgs.join(' '))
    const old = items.get(String(b.id))
    if (!old) return bad(`The data ${String(b.id)} is not found.`)
    // Replaces name, parameter_name, expires and permissions: whatever is not sent is cleared (contracts/fess.md).
    const it: FessItem = {
      id: old.id,
      name: String(b.name).trim(),
      token: old.token,
      permissions: normalizePermissions(typeof b.permissions === 'string' ? b.permissions : ''),
      ...(typeof b.parameter_name === 'string' && b.parameter_name !== '' ? { parameter_name: b.parameter_name } : {}),
      ...(typeof b.expires === 'string' && b.expires !== '' ? { expires: b.expires } : {}),
      created_by: old.created_by,
      created_time: old.created_time,
      updated_by: 'guest',
      updated_time: Math.max(now(), old.updated_time + 1)
    }
    put(it)
    return ok({ id: it.id, created: false })
  }

  const list = (b: Record<string, unknown>): Reply => {
    const asked = typeof b.size === 'number' && b.size > 0 ? b.size : 25
    const size = opts.maxSize ? Math.min(asked, opts.maxSize) : asked
    const page = typeof b.page === 'number' && b.page > 0 ? b.page : 1
    if (page * size > MAX_WINDOW) return sysErr()
    sorted ??= [...items.values()].sort((a, c) =>
      a.name < c.name ? -1 : a.name > c.name ? 1 : a.created_time - c.created_time
    )
    const matches = typeof b.id === 'string' && b.id ? sorted.filter((x) => x.id === b.id) : sorted
    const slice = matches.slice((page - 1) * size, page * size)
    return ok({ settings: slice.map(output), total: Math.min(matches.length, MAX_WINDOW) })
  }

  const emu = await startEmulator(
    opts,
    (r) => {
      if (!r.path.startsWith(BASE))
        return { status: 404, body: '<html><body>Not Found</body></html>', headers: { 'content-type': 'text/html' } }
      let body: Record<string, unknown> = {}
      if (r.body.trim()) {
        try {
          const parsed = JSON.parse(r.body) as unknown
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
          body = parsed as Record<string, unknown>
        } catch {
          return bad(`error_code:${randomUUID()}`)
        }
        if (!typesOk(body)) return bad(`error_code:${randomUUID()}`)
      }
      if (!authorized(r)) return unauthorized(r)
      const rest = r.path.slice(BASE.length)
      if (rest === '/settings') return list(body)
      const one = /^\/setting\/([^/]+)$/.exec(rest)
      if (one && (r.method === 'GET' || r.method === 'DELETE')) {
        const it = items.get(one[1])
        if (!it) return bad(`The data ${one[1]} is not found.`)
        if (r.method === 'GET') return ok({ setting: output(it) })
        items.delete(it.id)
        sorted = null
        return ok()
      }
      if (rest === '/setting' && (r.method === 'POST' || r.method === 'PUT')) {
        // Fess >= 15: POST creates, PUT updates; <= 14.x the other way round (contracts/fess.md "Endpoints").
        const creates = swapped ? r.method === 'PUT' : r.method === 'POST'
        return creates ? create(body) : update(body)
      }
      return { status: 404, body: '<html><body>Not Found</body></html>', headers: { 'content-type': 'text/html' } }
    },
    () => ({ response: { settings: 'none', total: 'many', version: 15.7, status: '0', setting: [1, 2], id: 42 } })
  )
  return Object.assign(emu, {
    adminToken,
    userToken,
    version,
    state: {
      items,
      changed() {
        sorted = null
      }
    }
  })
}
