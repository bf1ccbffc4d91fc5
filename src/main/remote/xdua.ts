import { z } from 'zod'
import { fail, type ErrorCode } from '../../shared/errors'
import {
  CLAIM_FIELDS,
  XDUA_DEFAULT_ROUTES,
  type XduaCallResult,
  type XduaRoutes,
  type XduaToken,
  type XduaVerb
} from '../../shared/contract'
import { checkShape, parseAnswer, type HttpOptions, type HttpResponse } from './http'
import { ServerClient } from './server-client'

/**
 * xdua token client, written to contracts/xdua.md: every verb goes through the connection's route table (method, path
 * template, extra query/body parameters), the caller's JWT goes raw in `Authorization` (no `Bearer `), and the envelope
 * `{status, apid, apis, error, reason, message, result}` is mapped: `error` != 0 is a failure carrying reason + message.
 */

const Envelope = z
  .object({
    status: z.number().optional(),
    apid: z.string().nullable().optional(),
    apis: z.string().nullable().optional(),
    error: z.number().int(),
    reason: z.string().nullable().optional(),
    message: z.string().nullable().optional(),
    result: z.unknown().optional()
  })
  .passthrough()

const Opt = z.union([z.string(), z.number()]).nullable().optional()
const Record_ = z
  .object({
    id: z.string(),
    name: Opt,
    avatar: Opt,
    brief: Opt,
    state: z
      .union([z.number(), z.string().regex(/^\d+$/)])
      .nullable()
      .optional(),
    stato: Opt,
    expire: z
      .union([z.number(), z.string().regex(/^-?\d+$/)])
      .nullable()
      .optional(),
    creator_id: Opt,
    creator_name: Opt,
    ipdator_id: Opt,
    ipdator_name: Opt,
    cstamp: Opt,
    istamp: Opt
  })
  .passthrough()

const s = (v: unknown) => (v === undefined || v === null ? null : String(v))
const n = (v: unknown) => (v === undefined || v === null || v === '' ? null : Number(v))

function toXduaToken(r: z.infer<typeof Record_>): XduaToken {
  const claims: Record<string, string> = {}
  for (const c of CLAIM_FIELDS) if (r[c] !== undefined && r[c] !== null) claims[c] = String(r[c])
  return {
    id: r.id,
    name: s(r.name),
    avatar: s(r.avatar),
    brief: s(r.brief),
    state: n(r.state),
    stato: s(r.stato),
    expire: n(r.expire),
    creatorId: s(r.creator_id),
    creatorName: s(r.creator_name),
    updaterId: s(r.ipdator_id),
    updaterName: s(r.ipdator_name),
    cstamp: s(r.cstamp),
    istamp: s(r.istamp),
    claims
  }
}

/**
 * The refusals xdua is known to send, by exact `reason`. A reason not listed is SERVER carrying the server's own reason
 * and message: guessing from a word in it turned state refusals such as TokenNotDeleted into AUTH.
 */
export const XDUA_REFUSALS: Readonly<Record<string, ErrorCode>> = Object.freeze({
  InvalidParameter: 'VALIDATION',
  PermissionDenied: 'FORBIDDEN',
  ResourceNotFound: 'NOT_FOUND',
  CareAlreadyExists: 'CONFLICT',
  InvalidState: 'INVALID_STATE',
  TokenNotDeleted: 'INVALID_STATE',
  TokenDeleted: 'INVALID_STATE',
  TokenAlreadyDeleted: 'INVALID_STATE'
})

/** HTTP statuses that say what failed whatever the body: only these make a refusal AUTH or FORBIDDEN. */
function httpStatusCode(status: number): ErrorCode | null {
  if (status === 401) return 'AUTH'
  if (status === 403) return 'FORBIDDEN'
  if (status === 404) return 'NOT_FOUND'
  if (status === 429 || status >= 500) return 'SERVER'
  if (status >= 400) return 'VALIDATION'
  return null
}

/** The code of an `error != 0` envelope: 401/403 first, then the known reasons, then the HTTP status, else SERVER. */
export function refusalCode(reason: string, httpStatus = 200): ErrorCode {
  if (httpStatus === 401 || httpStatus === 403) return httpStatusCode(httpStatus)!
  if (Object.hasOwn(XDUA_REFUSALS, reason)) return XDUA_REFUSALS[reason]
  return httpStatusCode(httpStatus) ?? 'SERVER'
}

export interface XduaCallInput {
  verb: XduaVerb
  id?: string
  fields?: Record<string, string | number>
  where?: Record<string, string | number | boolean>
  offset?: number
  limit?: number
  page?: number
  order?: string
}

const READS = new Set<XduaVerb>(['GET', 'GIT', 'QRY', 'QRI'])

export class XduaClient extends ServerClient<string> {
  readonly routes: XduaRoutes

  constructor(opts: Omit<HttpOptions, 'label'>, jwt: string, routes?: Partial<XduaRoutes> | null) {
    super(opts, jwt, 'xdua', jwt)
    this.routes = { ...XDUA_DEFAULT_ROUTES, ...(routes ?? {}) }
  }

  private envelope(res: HttpResponse): z.infer<typeof Envelope> {
    // Gateway errors: an HTTP error with X-Ca-Error-Code / X-Ca-Error-Message and no envelope.
    const gwCode = res.headers['x-ca-error-code']
    const gwMsg = res.headers['x-ca-error-message']
    if (res.status >= 400 && (gwCode || gwMsg || !res.text.trim())) {
      const text = `xdua gateway: ${gwMsg ?? `HTTP ${res.status}`}${gwCode ? ` (${gwCode})` : ''}`
      fail(httpStatusCode(res.status) ?? 'SERVER', text, { status: res.status, gatewayCode: gwCode ?? null })
    }
    try {
      return parseAnswer(res, Envelope, 'xdua')
    } catch (e) {
      if (res.status === 404)
        fail('NOT_FOUND', 'xdua has no such route (HTTP 404): check the base URL and the route table')
      if (res.status >= 500) fail('SERVER', `xdua failed (HTTP ${res.status})`, { status: res.status })
      throw e
    }
  }

  /** One verb through the route table; every failure leaves with the JWT masked (HttpClient.guard). */
  call(input: XduaCallInput, signal?: AbortSignal): Promise<XduaCallResult> {
    return this.http.guard(() => this.callOnce(input, signal))
  }

  private async callOnce(input: XduaCallInput, signal?: AbortSignal): Promise<XduaCallResult> {
    const { verb } = input
    const route = this.routes[verb]
    const needsId = route.path.includes('{id}') || Object.values(route.query ?? {}).includes('{id}')
    if (needsId && !input.id) fail('VALIDATION', `${verb} needs a token id`, { path: 'id' })
    const sub = (v: string | number) => (v === '{id}' ? (input.id ?? '') : v)
    const path = route.path.replace(/\{id\}/g, encodeURIComponent(input.id ?? ''))
    const query: Record<string, string | number | undefined> = {}
    for (const [k, v] of Object.entries(route.query ?? {})) query[k] = sub(v)
    if (verb === 'QRY' || verb === 'QRI') {
      if (input.where) query.where = JSON.stringify(input.where)
      query.offset = input.offset
      query.limit = input.limit
      query.page = input.page
      query.order = input.order
    }
    const hasBody = route.method !== 'GET' && route.method !== 'DELETE'
    const body = hasBody ? JSON.stringify({ ...route.body, ...input.fields }) : undefined
    const res = await this.http.send({
      method: route.method,
      path,
      query,
      // The raw JWT, no `Bearer ` prefix (contracts/xdua.md "Request and response").
      headers: { authorization: this.cred, ...(body ? { 'content-type': 'application/json' } : {}) },
      body,
      read: READS.has(verb),
      signal
    })
    const env = this.envelope(res)
    if (env.error !== 0 || res.status === 401 || res.status === 403) {
      const reason = env.reason ?? 'Error'
      fail(
        refusalCode(reason, res.status),
        `xdua ${verb}: ${reason} (${env.error})${env.message ? `: ${env.message}` : ''}`,
        {
          error: env.error,
          reason,
          serverMessage: env.message ?? null,
          httpStatus: res.status,
          apid: env.apid ?? null
        }
      )
    }
    const out: XduaCallResult = { verb, apid: env.apid ?? null, apis: env.apis ?? null, result: env.result ?? null }
    if (verb === 'GET' || verb === 'GIT') {
      const r = checkShape(
        env.result,
        z.object({ id: z.string().optional(), data: z.unknown().optional() }).passthrough(),
        'xdua'
      )
      // The seed shows `{id, data:{...}}`; a flat record is accepted too.
      const rec = checkShape(
        r.data && typeof r.data === 'object' && Object.keys(r.data).length ? { id: r.id, ...r.data } : r,
        Record_,
        'xdua'
      )
      out.record = toXduaToken(rec)
      out.id = rec.id
    } else if (verb === 'QRY' || verb === 'QRI') {
      const r = checkShape(
        env.result,
        z.object({ total: z.number().int(), limit: z.number().int().optional(), list: z.array(Record_) }).passthrough(),
        'xdua'
      )
      out.list = { total: r.total, limit: r.limit ?? input.limit ?? 20, items: r.list.map(toXduaToken) }
    } else {
      const r = checkShape(
        env.result,
        z.object({ id: z.string().min(1), updates: z.record(z.string(), z.unknown()).optional() }).passthrough(),
        'xdua'
      )
      out.id = r.id
      if (r.updates) out.updates = r.updates
    }
    return out
  }

  /** test-connection: a one-row QRY proves the route, the JWT and the caller's role. */
  async test(signal?: AbortSignal): Promise<{ serverVersion: null; user: null; message: string }> {
    const r = await this.call({ verb: 'QRY', limit: 1 }, signal)
    return { serverVersion: null, user: null, message: `xdua answered; ${r.list?.total ?? 0} tokens of yours` }
  }

  /**
   * Every visible token (QRI), page by page until `total` rows are in. The next offset is the rows received, not the
   * limit asked for: a server that caps `limit` lower answers short pages, which are not the end. An empty page ends it.
   * Pages of 2,000: the contract bounds `limit` nowhere, and each page is a round trip and a sort on the server.
   */
  async all(signal?: AbortSignal, pageSize = 2000): Promise<XduaToken[]> {
    const out: XduaToken[] = []
    for (;;) {
      const r = await this.call({ verb: 'QRI', offset: out.length, limit: pageSize, order: 'cstamp:ASC' }, signal)
      const items = r.list?.items ?? []
      out.push(...items)
      if (!r.list || items.length === 0 || out.length >= r.list.total) return out
    }
  }
}
