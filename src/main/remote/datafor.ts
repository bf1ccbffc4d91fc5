import { z } from 'zod'
import { fail, type ErrorCode } from '../../shared/errors'
import type { DataforConfig } from '../../shared/contract'
import { checkShape, parseAnswer, type HttpOptions, type HttpResponse } from './http'
import { ServerClient } from './server-client'

/**
 * Datafor token-configuration client, written to contracts/datafor.md: HTTP Basic, session login (JSESSIONID) or a
 * Bearer JWT; HTTP 200 with `success:false` and a string `code` for failures; anonymous answers (no rejection, an empty
 * `data`) recognised as auth failures; update replaces the whole config except the secret, so every change is a read,
 * merge and full write with the stored secret left out. The seed's form-encoded content type is wrong: JSON is sent.
 */

const API = '/plugin/datafor-modeler/api'

const Envelope = z
  .object({ success: z.boolean(), code: z.union([z.string(), z.number()]).optional(), msg: z.string().optional() })
  .passthrough()

const Config = z
  .object({
    name: z.string(),
    token_name: z.string().optional(),
    secret: z.string().optional(),
    expire: z.union([z.number(), z.string().regex(/^\d+$/)]).optional(),
    fieldmap: z
      .object({ username: z.string().optional(), name: z.string().optional(), email: z.string().optional() })
      .passthrough()
      .nullable()
      .optional(),
    algorithm: z.string().optional(),
    enable: z.union([z.string(), z.number(), z.boolean()]).optional(),
    inituser: z.union([z.string(), z.number(), z.boolean()]).optional(),
    initroles: z.array(z.string()).nullable().optional(),
    self_service: z.union([z.string(), z.number(), z.boolean()]).optional(),
    createdDate: z.union([z.string(), z.number()]).nullable().optional(),
    lastModifiedDate: z.union([z.string(), z.number()]).nullable().optional(),
    creatorId: z.string().nullable().optional()
  })
  .passthrough()
type WireConfig = z.infer<typeof Config>

const on = (v: unknown, dflt: boolean) => (v === undefined || v === null ? dflt : v === '1' || v === 1 || v === true)
const str = (v: unknown) => (v === undefined || v === null ? null : String(v))

function toDataforConfig(c: WireConfig, secretKept = false): DataforConfig {
  return {
    name: c.name,
    tokenName: c.token_name || 'token',
    hasSecret: Boolean(c.secret),
    secretKept,
    expire: Number(c.expire ?? 86400),
    fieldmap: {
      username: c.fieldmap?.username ?? 'username',
      name: c.fieldmap?.name ?? '',
      email: c.fieldmap?.email ?? ''
    },
    algorithm: c.algorithm ?? 'HS256',
    enable: on(c.enable, false),
    inituser: on(c.inituser, true),
    initroles: c.initroles ?? ['SYS_Reader'],
    selfService: on(c.self_service, false),
    createdDate: str(c.createdDate),
    lastModifiedDate: str(c.lastModifiedDate),
    creatorId: c.creatorId ?? null
  }
}

export type DataforPatch = Partial<{
  tokenName: string
  secret: string
  expire: number
  fieldmap: Partial<DataforConfig['fieldmap']>
  algorithm: string
  enable: boolean
  inituser: boolean
  initroles: string[]
  selfService: boolean
  initpwd: string
}>

/** The whole config in Datafor's wire names, for `update` (which replaces everything but the secret). */
function toWire(c: DataforConfig, extra: { secret?: string; initpwd?: string } = {}): Record<string, unknown> {
  return {
    name: c.name,
    token_name: c.tokenName,
    ...(extra.secret ? { secret: extra.secret } : {}),
    expire: c.expire,
    fieldmap: c.fieldmap,
    algorithm: c.algorithm,
    enable: c.enable ? '1' : '0',
    inituser: c.inituser ? '1' : '0',
    initroles: c.initroles,
    ...(extra.initpwd !== undefined ? { initpwd: extra.initpwd } : {}),
    self_service: c.selfService ? '1' : '0'
  }
}

const CODES: Record<string, ErrorCode> = {
  '400': 'VALIDATION',
  '401': 'AUTH',
  '403': 'FORBIDDEN',
  '404': 'NOT_FOUND',
  '409': 'CONFLICT',
  '500': 'SERVER',
  '503': 'SERVER'
}

export interface DataforCredentials {
  method: 'basic' | 'session' | 'bearer'
  username?: string | null
  /** password (basic, session) or the JWT (bearer) */
  secret: string
}

/** One API call's body and query; `read` marks a call that changes nothing, so a retry is safe. */
interface CallOptions {
  query?: Record<string, string>
  json?: unknown
  form?: Record<string, string>
  read: boolean
  signal?: AbortSignal
}

export class DataforClient extends ServerClient<DataforCredentials> {
  private session: string | null = null

  constructor(opts: Omit<HttpOptions, 'label'>, cred: DataforCredentials) {
    super(opts, cred, 'Datafor', cred.secret)
  }

  override async close(): Promise<void> {
    if (this.session) {
      // Best effort: a session left open expires on its own.
      await this.http
        .send({
          method: 'GET',
          path: '/plugin/datafor/api/extension/auth/logout',
          headers: { cookie: `JSESSIONID=${this.session}` },
          read: false
        })
        .catch(() => undefined)
      this.session = null
    }
    await super.close()
  }

  private async login(signal?: AbortSignal): Promise<string> {
    if (this.session) return this.session
    const form = new URLSearchParams({ username: this.cred.username ?? '', password: this.cred.secret })
    const res = await this.http.send({
      method: 'POST',
      path: '/plugin/datafor/api/extension/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      read: false,
      signal
    })
    if (res.status === 401) fail('AUTH', 'Datafor refused the user name or password (HTTP 401)')
    const env = this.envelopeOf(res)
    if (!env.success) fail('AUTH', `Datafor login failed: ${env.msg ?? 'wrong user name or password'}`)
    const fromBody = typeof env.jsessionid === 'string' ? env.jsessionid : null
    const setCookie = [res.headers['set-cookie'] ?? []].flat().join(';')
    const fromCookie = /JSESSIONID=([^;]+)/.exec(setCookie)?.[1] ?? null
    const sid = fromBody ?? fromCookie
    if (!sid) fail('PROTOCOL', 'Datafor said "login success" but sent no JSESSIONID')
    this.session = sid
    this.http.redactor.add(sid)
    return sid
  }

  private async authHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    if (this.cred.method === 'basic')
      return {
        authorization: `Basic ${Buffer.from(`${this.cred.username ?? ''}:${this.cred.secret}`).toString('base64')}`
      }
    if (this.cred.method === 'bearer') return { authorization: `Bearer ${this.cred.secret}` }
    return { cookie: `JSESSIONID=${await this.login(signal)}` }
  }

  private envelopeOf(res: HttpResponse): z.infer<typeof Envelope> {
    try {
      return parseAnswer(res, Envelope, 'Datafor')
    } catch (e) {
      if (res.status === 401) fail('AUTH', 'Datafor refused the credentials (HTTP 401)')
      if (res.status === 403) fail('FORBIDDEN', 'Datafor refused the request (HTTP 403)')
      if (res.status === 404)
        fail('NOT_FOUND', 'Datafor has no token API at this address (HTTP 404): the base URL should end in /datafor')
      if (res.status >= 500) fail('SERVER', `Datafor failed (HTTP ${res.status})`, { status: res.status })
      throw e
    }
  }

  private call(method: 'GET' | 'POST', path: string, opts: CallOptions): Promise<Record<string, unknown>> {
    // Login included: every failure leaves with the password, JWT and session id masked.
    return this.http.guard(() => this.callRetrying(method, path, opts))
  }

  private async callRetrying(
    method: 'GET' | 'POST',
    path: string,
    opts: CallOptions
  ): Promise<Record<string, unknown>> {
    try {
      return await this.callOnce(method, path, opts)
    } catch (e) {
      // An expired session answers "401" (not signed in): nothing ran, so log in again once and repeat.
      if (this.cred.method !== 'session' || !this.session || (e as { code?: string }).code !== 'AUTH') throw e
      this.session = null
      return this.callOnce(method, path, opts)
    }
  }

  private async callOnce(method: 'GET' | 'POST', path: string, opts: CallOptions): Promise<Record<string, unknown>> {
    const headers = await this.authHeaders(opts.signal)
    let body: string | undefined
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(opts.json)
    } else if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(opts.form).toString()
    }
    const res = await this.http.send({
      method,
      path: API + path,
      query: opts.query,
      headers,
      body,
      read: opts.read,
      signal: opts.signal
    })
    if (res.status === 401) fail('AUTH', 'Datafor refused the credentials (HTTP 401)')
    const env = this.envelopeOf(res)
    if (!env.success) {
      const code = env.code === undefined ? '' : String(env.code)
      const mapped = Object.hasOwn(CODES, code) ? CODES[code] : 'SERVER'
      // HTTP 200 with success:false: the `code` string says what went wrong (contracts/datafor.md "Envelope").
      fail(mapped, `Datafor: ${env.msg ?? 'request failed'}${code ? ` (code ${code})` : ''}`, { code })
    }
    return env
  }

  /** Who the server says we are; `data: {}` means the call ran as anonymous, i.e. the credentials did not work. */
  async whoami(signal?: AbortSignal): Promise<string> {
    const env = await this.call('GET', '/user/detail', { read: true, signal })
    const data = checkShape(env.data ?? {}, z.record(z.string(), z.unknown()), 'Datafor')
    const name = data.username ?? data.userName ?? data.name
    if (!Object.keys(data).length || typeof name !== 'string' || !name)
      fail(
        'AUTH',
        'Datafor answered as anonymous: the credentials were not accepted (bad or missing user, password or JWT)'
      )
    return name
  }

  async test(signal?: AbortSignal): Promise<{ serverVersion: null; user: string; message: string }> {
    const user = await this.whoami(signal)
    return { serverVersion: null, user, message: `Datafor answered; signed in as ${user}` }
  }

  async list(signal?: AbortSignal): Promise<DataforConfig[]> {
    const env = await this.call('GET', '/token/list', { read: true, signal })
    const data = checkShape(env.data ?? [], z.array(Config), 'Datafor')
    // The list is documented unpaged; a server that pages it anyway (a `total` above the rows sent) must not pass
    // for the whole list, or a pull would drop the rest.
    const total = typeof env.total === 'number' ? env.total : null
    if (total !== null && total > data.length)
      fail(
        'PROTOCOL',
        `Datafor listed ${data.length} of ${total} token configurations and offers no way to page the rest`,
        { listed: data.length, total }
      )
    // An anonymous caller gets an empty list, not a refusal: make sure an empty answer is not that.
    if (data.length === 0) await this.whoami(signal)
    return data.map((c) => toDataforConfig(c))
  }

  async get(name: string, signal?: AbortSignal): Promise<DataforConfig> {
    const env = await this.call('GET', '/token/content', { query: { name }, read: true, signal })
    const c = checkShape(env, Config, 'Datafor')
    if (c.name !== name) fail('PROTOCOL', `Datafor answered the configuration "${c.name}" when asked for "${name}"`)
    return toDataforConfig(c)
  }

  /** Create (needs a secret) or read-merge-write; the stored secret is kept unless a new one is given. */
  async put(
    name: string,
    patch: DataforPatch,
    signal?: AbortSignal
  ): Promise<{ item: DataforConfig; created: boolean; changed: string[] }> {
    let cur: DataforConfig | null = null
    try {
      cur = await this.get(name, signal)
    } catch (e) {
      if (!(e && typeof e === 'object' && (e as { code?: string }).code === 'NOT_FOUND')) throw e
    }
    if (!cur && !patch.secret)
      fail('VALIDATION', `Datafor has no configuration "${name}"; creating it needs a secret`, { path: 'secret' })
    const base: DataforConfig = cur ?? toDataforConfig({ name })
    const next: DataforConfig = {
      ...base,
      tokenName: patch.tokenName ?? base.tokenName,
      expire: patch.expire ?? base.expire,
      fieldmap: { ...base.fieldmap, ...patch.fieldmap },
      algorithm: patch.algorithm ?? base.algorithm,
      enable: patch.enable ?? base.enable,
      inituser: patch.inituser ?? base.inituser,
      initroles: patch.initroles ?? base.initroles,
      selfService: patch.selfService ?? base.selfService
    }
    const changed: string[] = (
      ['tokenName', 'expire', 'fieldmap', 'algorithm', 'enable', 'inituser', 'initroles', 'selfService'] as const
    ).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(base[k]))
    if (patch.secret) changed.push('secret')
    // No secret in the body keeps the stored one (contracts/datafor.md: omit it or send ************).
    await this.call('POST', '/token/update', {
      json: toWire(next, { secret: patch.secret, initpwd: patch.initpwd }),
      read: false,
      signal
    })
    return { item: await this.get(name, signal), created: !cur, changed: cur ? changed : ['(new)'] }
  }

  async delete(name: string, signal?: AbortSignal): Promise<void> {
    await this.call('POST', '/token/delete', { form: { name }, read: false, signal })
  }

  /** deleteBatch skips unknown names silently and is not atomic: list first so the answer can say which existed. */
  async deleteMany(names: string[], signal?: AbortSignal): Promise<{ deleted: string[]; missing: string[] }> {
    const existing = new Set((await this.list(signal)).map((c) => c.name))
    await this.call('POST', '/token/deleteBatch', { json: names, read: false, signal })
    const after = new Set((await this.list(signal).catch(() => [] as DataforConfig[])).map((c) => c.name))
    return {
      deleted: names.filter((n) => existing.has(n) && !after.has(n)),
      missing: names.filter((n) => !existing.has(n))
    }
  }

  async generate(
    name: string,
    username: string,
    claims: Record<string, unknown> = {},
    signal?: AbortSignal
  ): Promise<{ token: string; expire: number | null }> {
    const env = await this.call('POST', '/token/generate', {
      json: { name, payload: { ...claims, username } },
      read: false,
      signal
    })
    const r = checkShape(
      env,
      z.object({ token: z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]*$/), expire: z.number().optional() }).passthrough(),
      'Datafor'
    )
    return { token: r.token, expire: r.expire ?? null }
  }
}
