/**
 * Datafor token-configuration API emulator, built to ../shared/contracts/datafor.md.
 *
 *   const df = await startDataforEmulator({ configs: 3 })
 *   df.url           // http://127.0.0.1:<port>/datafor  (the Datafor base URL to put in a connection)
 *   df.admin         // { username: 'admin', password: 'admin-pass' } (type Administrator)
 *   df.viewer        // { username: 'viewer', password: 'viewer-pass' } (type User: token endpoints answer "403")
 *   df.state.configs // Map name -> stored config (secret in clear: the emulator is the server)
 *   df.requests, df.setFault(...), await df.close()   (see common.ts)
 *
 * Options: `configs` (seeded configs ERP1..N with HS256 secrets `secret-<n>-0123456789abcdef0123456789`), `users`
 * (replace the default users), `now`, `listCap` (list answers only this many configs, with `total`: a server that pages
 * without saying how), `echoCredential` (login and auth failures repeat the password or Authorization header they got).
 *
 * Quirks kept: HTTP 200 with `success:false` and a STRING `code` for failures on plugin paths; HTTP Basic with wrong
 * credentials is a real HTTP 401; no credentials at all (or a bad cookie/JWT) runs as anonymous: token endpoints answer
 * "401", except `list`, which answers an empty list, and `user/detail` answers `data: {}`; `update` replaces the
 * whole stored config except the secret (left-out fields fall back to defaults; `************` or no secret keeps it);
 * secrets are always shown masked; `deleteBatch` skips unknown names; `generate` signs HS* configs only. A Bearer JWT
 * is accepted when it verifies (HS*) under an enabled config, naming an existing user by its fieldmap.username claim.
 *
 * SSO login page (contracts/datafor.md "SSO login with a JWT"): `GET /plugin/datafor/api/integrate/<report id>` with
 * `?<token_name>=<jwt>`. Without a Datafor session the JWT is checked against the config whose `token_name` names the
 * parameter (alg, secret or public key, `exp`, the `fieldmap.username` claim, `inituser`): success is an HTML page with
 * a `JSESSIONID` cookie, a refusal is HTTP 401 with the reason (`df.state.logins` records both).
 */
import { createPublicKey, randomBytes } from 'node:crypto'
import { compactVerify } from 'jose'
import {
  HS_HASH as HASH,
  json,
  signHs,
  verifyHs,
  startEmulator,
  type Emulator,
  type EmulatorBaseOptions,
  type LoggedRequest,
  type Reply
} from './common'

export interface DataforUser {
  username: string
  password: string
  type: 'Administrator' | 'User'
}

export interface DataforStoredConfig {
  name: string
  token_name: string
  secret: string
  expire: number
  fieldmap: { username: string; name: string; email: string }
  algorithm: string
  enable: string
  inituser: string
  initroles: string[]
  initpwd?: string
  self_service: string
  createdDate: string
  lastModifiedDate: string
  creatorId: string
}

export interface DataforEmulatorOptions extends EmulatorBaseOptions {
  configs?: number
  users?: DataforUser[]
  now?: () => number
  listCap?: number
  echoCredential?: boolean
}

export interface DataforLogin {
  report: string
  config: string | null
  ok: boolean
  user?: string
  reason?: string
}

export interface DataforEmulator extends Emulator {
  admin: { username: string; password: string }
  viewer: { username: string; password: string }
  state: {
    configs: Map<string, DataforStoredConfig>
    sessions: Map<string, string>
    users: DataforUser[]
    logins: DataforLogin[]
  }
}

const MASK = '************'
const TOKEN = '/plugin/datafor-modeler/api/token/'
const INTEGRATE = '/plugin/datafor/api/integrate/'
const DEFAULT_FIELDMAP = { username: 'username', name: 'name', email: 'email' }

const flag = (v: unknown, dflt: string) =>
  v === '1' || v === 1 || v === true ? '1' : v === '0' || v === 0 || v === false ? '0' : dflt

export async function startDataforEmulator(opts: DataforEmulatorOptions = {}): Promise<DataforEmulator> {
  const now = opts.now ?? Date.now
  const users: DataforUser[] = [
    ...(opts.users ?? [
      { username: 'admin', password: 'admin-pass', type: 'Administrator' },
      { username: 'viewer', password: 'viewer-pass', type: 'User' }
    ])
  ]
  const logins: DataforLogin[] = []
  const configs = new Map<string, DataforStoredConfig>()
  const sessions = new Map<string, string>()
  const stamp = () => new Date(now()).toISOString()
  for (let i = 1; i <= (opts.configs ?? 0); i++) {
    configs.set(`ERP${i}`, {
      name: `ERP${i}`,
      token_name: 'token',
      secret: `secret-${i}-0123456789abcdef0123456789`,
      expire: 86400,
      fieldmap: { username: 'loginname', name: 'name', email: 'email' },
      algorithm: 'HS256',
      enable: '1',
      inituser: '1',
      initroles: ['SYS_Reader'],
      self_service: i % 2 ? '1' : '0',
      createdDate: stamp(),
      lastModifiedDate: stamp(),
      creatorId: 'admin'
    })
  }

  const fail = (code: string, msg: string) => json(200, { success: false, code, msg, type: '1' })
  const okMsg = () => json(200, { success: true, msg: 'success' })
  const masked = (c: DataforStoredConfig) => {
    const { initpwd: _pw, ...rest } = c
    return { ...rest, secret: c.secret ? MASK : '' }
  }

  type Who = { user: DataforUser | null; basicRejected: boolean }
  const whoIs = (r: LoggedRequest): Who => {
    const h = typeof r.headers.authorization === 'string' ? r.headers.authorization : ''
    if (h.startsWith('Basic ')) {
      const [u, ...p] = Buffer.from(h.slice(6), 'base64').toString('utf8').split(':')
      const user = users.find((x) => x.username === u && x.password === p.join(':'))
      return user ? { user, basicRejected: false } : { user: null, basicRejected: true }
    }
    const cookie = typeof r.headers.cookie === 'string' ? r.headers.cookie : ''
    const sid = /(?:^|;\s*)JSESSIONID=([^;]+)/.exec(cookie)?.[1]
    if (sid && sessions.has(sid))
      return { user: users.find((x) => x.username === sessions.get(sid)) ?? null, basicRejected: false }
    // JWT: Bearer header, or the URL parameter named by a config's token_name (plugin paths only).
    for (const c of configs.values()) {
      if (c.enable !== '1' || !HASH[c.algorithm]) continue
      const jwt = h.startsWith('Bearer ') ? h.slice(7) : r.query[c.token_name]
      if (!jwt) continue
      const claims = verifyHs(jwt, c.algorithm, c.secret)
      if (!claims) continue
      if (typeof claims.exp === 'number' && claims.exp * 1000 < now()) continue
      const user = users.find((x) => x.username === claims[c.fieldmap.username])
      if (user) return { user, basicRejected: false }
    }
    return { user: null, basicRejected: false }
  }

  const parseJson = (body: string): unknown => {
    try {
      return JSON.parse(body)
    } catch {
      return undefined
    }
  }

  const upsert = (b: Record<string, unknown>, user: DataforUser): Reply => {
    const name = typeof b.name === 'string' ? b.name : ''
    if (!name) return fail('400', 'name can not be empty')
    if (!/^[A-Za-z0-9]+$/.test(name)) return fail('400', 'name can not contain special characters')
    const old = configs.get(name)
    const sent = typeof b.secret === 'string' && b.secret !== '' && b.secret !== MASK ? b.secret : null
    const secret = sent ?? old?.secret ?? ''
    if (!secret) return fail('400', 'secret can not be empty')
    const fm = (b.fieldmap && typeof b.fieldmap === 'object' ? b.fieldmap : {}) as Record<string, unknown>
    const algorithm = typeof b.algorithm === 'string' ? b.algorithm : 'HS256'
    if (!/^(HS|RS|ES)(256|384|512)$/.test(algorithm)) return fail('400', 'algorithm is not supported')
    // Replaces the whole config except the secret: anything left out falls back to its default (contracts/datafor.md).
    configs.set(name, {
      name,
      token_name: typeof b.token_name === 'string' && b.token_name ? b.token_name : 'token',
      secret,
      expire: typeof b.expire === 'number' ? b.expire : Number(b.expire) || 86400,
      fieldmap: {
        username: typeof fm.username === 'string' ? fm.username : DEFAULT_FIELDMAP.username,
        name: typeof fm.name === 'string' ? fm.name : DEFAULT_FIELDMAP.name,
        email: typeof fm.email === 'string' ? fm.email : DEFAULT_FIELDMAP.email
      },
      algorithm,
      enable: flag(b.enable, '0'),
      inituser: flag(b.inituser, '1'),
      initroles: Array.isArray(b.initroles) ? b.initroles.map(String) : ['SYS_Reader'],
      ...(typeof b.initpwd === 'string' ? { initpwd: b.initpwd } : {}),
      self_service: flag(b.self_service, '0'),
      createdDate: old?.createdDate ?? stamp(),
      lastModifiedDate: stamp(),
      creatorId: old?.creatorId ?? user.username
    })
    return okMsg()
  }

  // The claims when `jwt` verifies under `c` (HS: the secret; RS/ES: the Base64 public key in `secret`), else the reason.
  const checkSso = async (
    c: DataforStoredConfig,
    jwt: string
  ): Promise<{ claims: Record<string, unknown> } | { reason: string }> => {
    let header: { alg?: unknown }
    try {
      header = JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString()) as { alg?: unknown }
    } catch {
      return { reason: 'token is malformed' }
    }
    if (header.alg !== c.algorithm)
      return { reason: `token algorithm ${String(header.alg)} does not match ${c.algorithm}` }
    let claims: Record<string, unknown> | null
    if (HASH[c.algorithm]) claims = verifyHs(jwt, c.algorithm, c.secret)
    else {
      try {
        const key = createPublicKey({ key: Buffer.from(c.secret, 'base64'), format: 'der', type: 'spki' })
        claims = JSON.parse(
          Buffer.from((await compactVerify(jwt, key, { algorithms: [c.algorithm] })).payload).toString()
        ) as Record<string, unknown>
      } catch {
        claims = null
      }
    }
    if (!claims) return { reason: 'token signature is invalid' }
    if (typeof claims.exp !== 'number') return { reason: 'token has no exp' }
    if (claims.exp * 1000 < now()) return { reason: 'token is expired' }
    return { claims }
  }

  const page = (status: number, title: string, text: string, headers: Record<string, string> = {}): Reply => ({
    status,
    body: `<!DOCTYPE html><html><head><title>${title}</title></head><body><p>${text}</p></body></html>`,
    headers: { 'content-type': 'text/html; charset=utf-8', ...headers }
  })

  /** The SSO login page: an existing session wins; otherwise the JWT in the config's token parameter logs in. */
  const integrate = async (r: LoggedRequest, report: string): Promise<Reply> => {
    const sid = /(?:^|;\s*)JSESSIONID=([^;]+)/.exec(String(r.headers.cookie ?? ''))?.[1]
    if (sid && sessions.has(sid)) return page(200, `Datafor report ${report}`, `Signed in as ${sessions.get(sid)}`)
    const refuse = (config: string | null, reason: string) => {
      logins.push({ report, config, ok: false, reason })
      return page(401, 'Datafor login refused', `Login refused: ${reason}`)
    }
    const c = [...configs.values()].find((x) => r.query[x.token_name] !== undefined)
    if (!c) return refuse(null, 'no token')
    if (c.enable !== '1') return refuse(c.name, 'config is disabled')
    const checked = await checkSso(c, r.query[c.token_name])
    if ('reason' in checked) return refuse(c.name, checked.reason)
    const login = checked.claims[c.fieldmap.username]
    if (typeof login !== 'string' || !login) return refuse(c.name, `token has no ${c.fieldmap.username} claim`)
    if (!users.some((u) => u.username === login)) {
      if (c.inituser !== '1') return refuse(c.name, `user ${login} does not exist`)
      users.push({ username: login, password: randomBytes(12).toString('hex'), type: 'User' })
    }
    const fresh = randomBytes(16).toString('hex').toUpperCase()
    sessions.set(fresh, login)
    logins.push({ report, config: c.name, ok: true, user: login })
    return page(200, `Datafor report ${report}`, `Signed in as ${login}`, {
      'set-cookie': `JSESSIONID=${fresh}; Path=/datafor; HttpOnly`
    })
  }

  const emu = await startEmulator(
    opts,
    (r) => {
      const path = r.path.startsWith('/datafor/') ? r.path.slice('/datafor'.length) : null
      if (!path)
        return {
          status: 404,
          body: '<html><body>404 Not Found</body></html>',
          headers: { 'content-type': 'text/html' }
        }
      if (path === '/plugin/datafor/api/extension/auth/login' && r.method === 'POST') {
        const form = new URLSearchParams(r.body)
        const user = users.find((u) => u.username === form.get('username') && u.password === form.get('password'))
        if (!user)
          return json(200, {
            success: false,
            data: '0',
            msg: opts.echoCredential ? `wrong password ${form.get('password') ?? ''}` : 'wrong password'
          })
        const sid = randomBytes(16).toString('hex').toUpperCase()
        sessions.set(sid, user.username)
        return json(
          200,
          { success: true, msg: 'login success', data: '1', jsessionid: sid },
          { 'set-cookie': `JSESSIONID=${sid}; Path=/datafor; HttpOnly` }
        )
      }
      if (path.startsWith(INTEGRATE) && r.method === 'GET')
        return integrate(r, decodeURIComponent(path.slice(INTEGRATE.length)))
      const who = whoIs(r)
      if (who.basicRejected)
        return {
          status: 401,
          body: 'Unauthorized',
          headers: { 'www-authenticate': 'Basic realm="Datafor"', 'content-type': 'text/plain' }
        }
      if (path === '/plugin/datafor/api/extension/auth/logout') {
        const sid = /(?:^|;\s*)JSESSIONID=([^;]+)/.exec(String(r.headers.cookie ?? ''))?.[1]
        if (sid) sessions.delete(sid)
        return json(200, { success: true, msg: 'logout success' })
      }
      if (path === '/plugin/datafor-modeler/api/user/detail') {
        if (!who.user) return json(200, { success: true, data: {} })
        return json(200, {
          success: true,
          data: { username: who.user.username, type: who.user.type, tenantId: 'default' }
        })
      }
      if (!path.startsWith(TOKEN))
        return {
          status: 404,
          body: '<html><body>404 Not Found</body></html>',
          headers: { 'content-type': 'text/html' }
        }
      const op = path.slice(TOKEN.length)
      const denied = opts.echoCredential ? `not signed in (${String(r.headers.authorization ?? '')})` : 'not signed in'
      if (!who.user) return op === 'list' ? json(200, { success: true, data: [] }) : fail('401', denied)
      if (who.user.type !== 'Administrator') return fail('403', 'no permission')
      switch (op) {
        case 'list': {
          const all = [...configs.values()].map(masked)
          if (opts.listCap === undefined) return json(200, { success: true, data: all })
          return json(200, { success: true, data: all.slice(0, opts.listCap), total: all.length })
        }
        case 'content': {
          const c = configs.get(r.query.name ?? '')
          return c ? json(200, { success: true, ...masked(c) }) : fail('404', 'name does not exist')
        }
        case 'update': {
          const b = parseJson(r.body)
          if (!b || typeof b !== 'object' || Array.isArray(b)) return fail('400', 'bad parameter')
          return upsert(b as Record<string, unknown>, who.user)
        }
        case 'delete': {
          const name = new URLSearchParams(r.body).get('name') ?? r.query.name ?? ''
          if (!configs.has(name)) return fail('404', 'name does not exist')
          configs.delete(name)
          return okMsg()
        }
        case 'deleteBatch': {
          const b = parseJson(r.body)
          if (!Array.isArray(b)) return fail('400', 'bad parameter')
          for (const n of b) configs.delete(String(n))
          return okMsg()
        }
        case 'generate': {
          const b = parseJson(r.body) as { name?: string; payload?: Record<string, unknown> } | undefined
          const c = configs.get(b?.name ?? '')
          if (!c) return fail('400', 'name does not exist')
          const username = b?.payload?.username
          if (typeof username !== 'string' || !username) return fail('400', 'username can not be empty')
          if (!HASH[c.algorithm]) return fail('400', 'secret can not be empty')
          const { username: _u, ...extra } = b?.payload ?? {}
          const token = signHs(c.algorithm, c.secret, {
            ...extra,
            [c.fieldmap.username]: username,
            exp: Math.floor(now() / 1000) + c.expire
          })
          return json(200, { success: true, token, expire: c.expire })
        }
        default:
          return {
            status: 404,
            body: '<html><body>404 Not Found</body></html>',
            headers: { 'content-type': 'text/html' }
          }
      }
    },
    () => ({ success: 'yes', data: 'nope', token: 7, code: 500 })
  )
  return Object.assign(emu, {
    url: `${emu.url}/datafor`,
    admin: { username: users[0].username, password: users[0].password },
    viewer: { username: users[1]?.username ?? 'viewer', password: users[1]?.password ?? '' },
    state: { configs, sessions, users, logins }
  })
}
