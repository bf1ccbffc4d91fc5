/**
 * xdua token API emulator, built to ../shared/contracts/xdua.md and the route table defaults in
 * src/shared/contract/connections.ts (XDUA_DEFAULT_ROUTES).
 *
 *   const x = await startXduaEmulator({ tokens: 5 })
 *   x.url             // http://127.0.0.1:<port>
 *   x.token           // caller JWT (uid U0000001, roles Zoon,Admin): send it RAW as `Authorization`, no `Bearer `
 *   x.mint({uid, name, role})  // another caller's JWT (e.g. role 'Zoon' only: DIS/ENB answer PermissionDenied)
 *   x.works(id)       // would token id authenticate now (enabled, published, not deleted, not expired)
 *   x.state.tokens    // Map id -> record;  x.requests: the request log (method, path, query, headers, body)
 *   x.setFault(...), await x.close()   (see common.ts)
 *
 * Options: `routes` (a full route table, e.g. xduaActionRoutes() for the older `action=` form; default: the contract's
 * defaults), `tokens` (seeded records, half of them created by another user), `secret` (HS256 key of caller JWTs),
 * `maxLimit` (queries answer at most this many rows whatever `limit` asks), `namedRefusals` (refused transitions say
 * what a live xdua says: TokenNotDeleted, TokenDeleted, TokenAlreadyDeleted), `echoCredential` (auth failures repeat
 * the Authorization header they got, as some gateways do).
 *
 * Wire rules: a request is matched to a verb by method + path template + the route's extra query parameters.
 * `Authorization` must be the raw JWT: a missing, invalid or `Bearer `-prefixed one is a gateway error (HTTP 401 with
 * X-Ca-Error-Code / X-Ca-Error-Message, empty body). Every other answer is HTTP 200 with the envelope
 * {status, apid, apis, error, reason, message, result, debug}; failures: 100400 InvalidParameter, 100403
 * PermissionDenied, 100404 ResourceNotFound, 100409 InvalidState, 200001 CareAlreadyExists (duplicate name).
 */
import { randomUUID } from 'node:crypto'
import { XDUA_DEFAULT_ROUTES, XDUA_VERBS, type XduaRoutes, type XduaVerb } from '../../src/shared/contract/connections'
import {
  json,
  randomString,
  signHs,
  startEmulator,
  verifyHs,
  type Emulator,
  type EmulatorBaseOptions,
  type LoggedRequest,
  type Reply
} from './common'
import { mulberry32 } from '../../src/shared/prng'
// The ADD fields of contracts/xdua.md are the twelve the store keeps.
import { CLAIM_FIELDS } from '../../src/shared/contract/claims'
import { SEED_CLAIMS } from '../helpers/claims'

export interface XduaRecord {
  id: string
  name: string
  avatar: string
  brief: string
  state: number
  stato: string
  expire: number
  creator_id: string
  creator_name: string
  ipdator_id: string
  ipdator_name: string
  cstamp: string
  istamp: string
  claims: Record<string, string>
  published: boolean
  deleted: boolean
}

export interface XduaEmulatorOptions extends EmulatorBaseOptions {
  routes?: XduaRoutes
  tokens?: number
  seed?: number
  secret?: string
  maxLimit?: number
  namedRefusals?: boolean
  echoCredential?: boolean
}

export interface XduaEmulator extends Emulator {
  token: string
  mint(who: { uid: string; name?: string; role?: string }): string
  routes: XduaRoutes
  /** Whether token `id` would authenticate now (enabled, published, not deleted, not expired). */
  works(id: string): boolean
  state: { tokens: Map<string, XduaRecord> }
}

const APIS: Record<XduaVerb, string> = {
  ADD: 'AddToken',
  DEL: 'DelToken',
  SET: 'SetToken',
  DOL: 'DolToken',
  RCC: 'RccToken',
  DIS: 'DisToken',
  ENB: 'EnbToken',
  OFF: 'OffToken',
  PUB: 'PubToken',
  GET: 'GetToken',
  GIT: 'GitToken',
  QRY: 'QryToken',
  QRI: 'QriToken'
}

const stampOf = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')

function routeMatcher(routes: XduaRoutes) {
  const compiled = XDUA_VERBS.map((verb) => {
    const r = routes[verb]
    const names: string[] = []
    const re = new RegExp(
      `^${r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, a: string) => {
        names.push(a)
        return '([^/]+)'
      })}$`
    )
    return { verb, method: r.method, re, names, query: r.query ?? {} }
  })
  return (req: LoggedRequest): { verb: XduaVerb; params: Record<string, string> } | null => {
    for (const c of compiled) {
      if (c.method !== req.method) continue
      const m = c.re.exec(req.path)
      if (!m) continue
      const params: Record<string, string> = {}
      c.names.forEach((n, i) => (params[n] = m[i + 1]))
      let okQ = true
      for (const [k, v] of Object.entries(c.query)) {
        if (String(v) === '{id}') {
          if (req.query[k] === undefined) okQ = false
          else params.id = req.query[k]
        } else if (req.query[k] !== String(v)) okQ = false
      }
      if (okQ) return { verb: c.verb, params }
    }
    return null
  }
}

export async function startXduaEmulator(opts: XduaEmulatorOptions = {}): Promise<XduaEmulator> {
  const routes = opts.routes ?? XDUA_DEFAULT_ROUTES
  const match = routeMatcher(routes)
  const secret = opts.secret ?? 'xdua-emulator-secret-0123456789abcdef'
  const rand = mulberry32(opts.seed ?? 7)
  const tokens = new Map<string, XduaRecord>()
  const mint = (who: { uid: string; name?: string; role?: string }) =>
    signHs('HS256', secret, {
      uid: who.uid,
      name: who.name ?? who.uid,
      role: who.role ?? 'Zoon',
      iss: 'lovearth',
      iat: Math.floor(Date.now() / 1000),
      exp: 0
    })
  const token = mint({ uid: 'U0000001', name: 'admin', role: 'Zoon,Admin' })
  const newId = () => {
    let id: string
    do id = randomString(rand, 8)
    while (tokens.has(id))
    return id
  }
  const t0 = Date.now() - 86_400_000
  for (let i = 1; i <= (opts.tokens ?? 0); i++) {
    const id = newId()
    const mine = i % 2 === 1
    tokens.set(id, {
      id,
      name: `token_${String(i).padStart(4, '0')}`,
      avatar: '',
      brief: `seeded token ${i}`,
      state: i % 5 === 0 ? 1 : 0,
      stato: i % 5 === 0 ? 'disabled' : 'enabled',
      expire: 0,
      creator_id: mine ? 'U0000001' : 'U0000002',
      creator_name: mine ? 'admin' : 'other',
      ipdator_id: mine ? 'U0000001' : 'U0000002',
      ipdator_name: mine ? 'admin' : 'other',
      cstamp: stampOf(t0 + i * 1000),
      istamp: stampOf(t0 + i * 1000),
      claims: { ...SEED_CLAIMS },
      published: i % 3 !== 0,
      deleted: false
    })
  }

  const envelope = (verb: XduaVerb, error: number, reason: string, message: string, result: unknown): Reply =>
    json(200, {
      status: 200,
      apid: randomUUID().toUpperCase(),
      apis: APIS[verb],
      error,
      reason,
      message,
      result,
      debug: []
    })
  const okR = (verb: XduaVerb, result: unknown) => envelope(verb, 0, 'success', 'success', result)
  const err = {
    param: (v: XduaVerb, msg: string) => envelope(v, 100400, 'InvalidParameter', msg, null),
    perm: (v: XduaVerb) => envelope(v, 100403, 'PermissionDenied', '没有权限 (permission denied)', null),
    notFound: (v: XduaVerb, id: string) =>
      envelope(v, 100404, 'ResourceNotFound', `令牌不存在 (token ${id} not found)`, null),
    state: (v: XduaVerb, msg: string) => envelope(v, 100409, 'InvalidState', msg, null),
    named: (v: XduaVerb, reason: string, msg: string) => envelope(v, 100409, reason, msg, null),
    dup: (v: XduaVerb) => envelope(v, 200001, 'CareAlreadyExists', '名称已存在 (name already exists)', null)
  }
  const pub = (r: XduaRecord) => {
    const { claims, published: _p, deleted: _d, ...rest } = r
    return { ...rest, ...claims }
  }

  const readBody = (r: LoggedRequest): Record<string, unknown> => {
    if (!r.body.trim()) return {}
    const ct = String(r.headers['content-type'] ?? '')
    if (ct.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(r.body))
    try {
      const v = JSON.parse(r.body) as unknown
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
    } catch {
      return { __bad: true }
    }
  }

  const emu = await startEmulator(
    opts,
    (r) => {
      const m = match(r)
      if (!m) return json(404, { status: 404, error: 404, reason: 'NotFound', message: 'no such API' })
      const { verb } = m
      const h = r.headers.authorization
      const claims = typeof h === 'string' && !h.includes(' ') ? verifyHs(h, 'HS256', secret) : null
      if (!claims) {
        const said = opts.echoCredential ? `Invalid Token: ${String(h ?? '')}` : 'Invalid Token'
        return { status: 401, body: '', headers: { 'x-ca-error-code': 'A401AC', 'x-ca-error-message': said } }
      }
      const uid = String(claims.uid)
      const uname = String(claims.name ?? uid)
      const roles = String(claims.role ?? '').split(',')
      const body = readBody(r)
      if (body.__bad) return err.param(verb, 'body is not valid JSON')
      const id = m.params.id
      const rec = id ? tokens.get(id) : undefined
      const touch = (x: XduaRecord) => {
        x.ipdator_id = uid
        x.ipdator_name = uname
        x.istamp = stampOf(Date.now())
      }
      const needOwn = (): Reply | null => {
        if (opts.namedRefusals && rec?.deleted && verb !== 'DEL' && verb !== 'RCC')
          return verb === 'DOL'
            ? err.named(verb, 'TokenAlreadyDeleted', 'token is already deleted')
            : err.named(verb, 'TokenDeleted', 'token is deleted')
        if (!rec || (rec.deleted && verb !== 'DEL' && verb !== 'RCC')) return err.notFound(verb, id ?? '')
        if (rec.creator_id !== uid) return err.perm(verb)
        return null
      }
      switch (verb) {
        case 'ADD': {
          for (const f of CLAIM_FIELDS)
            if (typeof body[f] !== 'string' || body[f] === '') return err.param(verb, `${f} is required`)
          if (!/^[A-Za-z0-9]{1,8}$/.test(String(body.jti)))
            return err.param(verb, 'jti must be at most 8 letters or digits')
          const nid = newId()
          const t = Date.now()
          tokens.set(nid, {
            id: nid,
            name: `tok_${nid}`,
            avatar: '',
            brief: '',
            state: 0,
            stato: 'enabled',
            expire: 0,
            creator_id: uid,
            creator_name: uname,
            ipdator_id: uid,
            ipdator_name: uname,
            cstamp: stampOf(t),
            istamp: stampOf(t),
            claims: Object.fromEntries(CLAIM_FIELDS.map((f) => [f, String(body[f])])),
            published: false,
            deleted: false
          })
          return okR(verb, { id: nid })
        }
        case 'SET': {
          const bad = needOwn()
          if (bad) return bad
          const updates: Record<string, unknown> = {}
          if (body.name !== undefined) {
            const n = String(body.name)
            if (!/^[A-Za-z\u4e00-\u9fff][A-Za-z0-9_\u4e00-\u9fff]{3,31}$/.test(n))
              return err.param(verb, 'name must be 4-32 letters, digits, CJK or _, starting with a letter or CJK')
            if ([...tokens.values()].some((x) => x.name === n && x.id !== rec!.id)) return err.dup(verb)
            updates.name = n
          }
          if (body.avatar !== undefined) {
            if (String(body.avatar).length > 40) return err.param(verb, 'avatar must be at most 40 characters')
            updates.avatar = String(body.avatar)
          }
          if (body.brief !== undefined) {
            if (String(body.brief).length > 64) return err.param(verb, 'brief must be at most 64 characters')
            updates.brief = String(body.brief)
          }
          if (body.expire !== undefined) {
            const e = Number(body.expire)
            if (!Number.isInteger(e) || e < 0) return err.param(verb, 'expire must be UNIX seconds (0 = none)')
            updates.expire = e
            rec!.expire = e
          }
          if (body.enabled !== undefined) updates.enabled = String(body.enabled)
          if (body.igrp !== undefined) updates.igrp = String(body.igrp)
          for (const k of ['name', 'avatar', 'brief'] as const)
            if (updates[k] !== undefined) rec![k] = updates[k] as string
          if (updates.enabled !== undefined) {
            rec!.state = updates.enabled === '1' ? 0 : 1
            rec!.stato = rec!.state ? 'disabled' : 'enabled'
          }
          touch(rec!)
          return okR(verb, { id: rec!.id, updates })
        }
        case 'DEL': {
          const bad = needOwn()
          if (bad) return bad
          if (!roles.includes('Zoon')) return err.perm(verb)
          tokens.delete(rec!.id)
          return okR(verb, { id: rec!.id })
        }
        case 'DOL': {
          const bad = needOwn()
          if (bad) return bad
          rec!.deleted = true
          touch(rec!)
          return okR(verb, { id: rec!.id })
        }
        case 'RCC': {
          if (!rec) return err.notFound(verb, id ?? '')
          if (!roles.includes('Zoon')) return err.perm(verb)
          if (!rec.deleted)
            return opts.namedRefusals
              ? err.named(verb, 'TokenNotDeleted', 'token is not deleted')
              : err.state(verb, 'token is not in the recycle bin')
          rec.deleted = false
          touch(rec)
          return okR(verb, { id: rec.id })
        }
        case 'DIS':
        case 'ENB': {
          if (opts.namedRefusals && rec?.deleted) return err.named(verb, 'TokenDeleted', 'token is deleted')
          if (!rec || rec.deleted) return err.notFound(verb, id ?? '')
          if (!roles.includes('Admin')) return err.perm(verb)
          const want = verb === 'DIS' ? 1 : 0
          if (body.state !== undefined && Number(body.state) !== want) return err.param(verb, `state must be ${want}`)
          rec.state = want
          rec.stato = want ? 'disabled' : 'enabled'
          touch(rec)
          return okR(verb, { id: rec.id })
        }
        case 'OFF':
        case 'PUB': {
          const bad = needOwn()
          if (bad) return bad
          rec!.published = verb === 'PUB'
          touch(rec!)
          return okR(verb, { id: rec!.id })
        }
        case 'GET':
        case 'GIT': {
          if (verb === 'GIT') {
            const bad = needOwn()
            if (bad) return bad
          } else {
            if (!rec || rec.deleted) return err.notFound(verb, id ?? '')
            if (!roles.includes('Zoon')) return err.perm(verb)
          }
          return okR(verb, { id: rec!.id, data: pub(rec!) })
        }
        case 'QRY':
        case 'QRI': {
          if (!roles.includes('Zoon')) return err.perm(verb)
          let where: Record<string, unknown> = {}
          if (r.query.where) {
            try {
              where = JSON.parse(r.query.where) as Record<string, unknown>
            } catch {
              return err.param(verb, 'where must be JSON')
            }
          }
          const asked = r.query.limit ? Number(r.query.limit) : 20
          const limit = opts.maxLimit ? Math.min(asked, opts.maxLimit) : asked
          const page = r.query.page ? Number(r.query.page) : 0
          let offset = r.query.offset ? Number(r.query.offset) : 0
          if (![limit, page, offset].every((n) => Number.isInteger(n) && n >= 0))
            return err.param(verb, 'offset, limit and page must be integers')
          if (page > 0) offset = (page - 1) * limit
          // Fields are read as `pub` shows them, without building each public record: only the page's rows are built.
          const field = (x: XduaRecord, k: string): unknown =>
            Object.hasOwn(x.claims, k)
              ? (x.claims as Record<string, unknown>)[k]
              : k === 'published' || k === 'deleted'
                ? undefined
                : (x as unknown as Record<string, unknown>)[k]
          const conds = Object.entries(where).map(([k, v]) => [k, String(v)] as const)
          let rows = [...tokens.values()].filter(
            (x) =>
              !x.deleted &&
              (verb === 'QRI' || x.creator_id === uid) &&
              conds.every(([k, v]) => String(field(x, k)) === v)
          )
          if (r.query.order) {
            const [name, dir] = r.query.order.split(':')
            const sign = /^desc$/i.test(dir ?? '') ? -1 : 1
            // Each row's sort value read once, not once per comparison: a full listing sorts every row per page.
            const keyed = rows.map((x) => ({ x, v: field(x, name) as string | number }))
            keyed.sort((a, b) => (a.v < b.v ? -sign : a.v > b.v ? sign : 0))
            rows = keyed.map((k) => k.x)
          }
          return okR(verb, { total: rows.length, limit, list: rows.slice(offset, offset + limit).map(pub) })
        }
      }
    },
    () => ({ status: '200', apid: 5, apis: [], error: '0', reason: 0, message: null, result: 'not an object' })
  )
  // The contract's rule: a token authenticates only when enabled, published, not deleted and not expired.
  const works = (id: string) => {
    const t = tokens.get(id)
    return Boolean(t && t.state === 0 && t.published && !t.deleted && (t.expire === 0 || t.expire * 1000 > Date.now()))
  }
  return Object.assign(emu, { token, mint, routes, works, state: { tokens } })
}
