import { z } from 'zod'
import { AppError, fail } from '../../shared/errors'
import type { FessListResult, FessToken } from '../../shared/contract'
import { checkShape, parseAnswer, type HttpOptions, type HttpResponse } from './http'
import { ServerClient } from './server-client'

/**
 * Fess admin access-token client, written to contracts/fess.md (not the seed page, which is wrong on keys, paging and
 * auth): snake_case JSON both ways, paging read from a JSON body even on GET, HTTP 200 + status 3 for every auth
 * failure, update replaces every field, no optimistic locking on the server (we compare updated_time ourselves),
 * POST/PUT on /setting swapped in 14.x, and a 10,000-result window.
 */

const BASE = '/api/admin/accesstoken'
const FESS_WINDOW = 10_000

const Envelope = z.object({
  response: z
    .object({ status: z.number().int(), version: z.string().optional(), message: z.string().optional() })
    .passthrough()
})

const Item = z
  .object({
    id: z.string(),
    name: z.string(),
    token: z.string().optional(),
    permissions: z.string().optional(),
    parameter_name: z.string().optional(),
    expires: z.string().optional(),
    created_by: z.string().optional(),
    created_time: z.number().optional(),
    updated_by: z.string().optional(),
    updated_time: z.number().optional(),
    version_no: z.number().optional()
  })
  .passthrough()
type Item = z.infer<typeof Item>

const ListBody = z.object({ settings: z.array(Item), total: z.number().int().min(0) }).passthrough()
const GetBody = z.object({ setting: Item }).passthrough()
const WriteBody = z.object({ id: z.string().min(1), created: z.boolean().optional() }).passthrough()

export interface FessItemWithToken extends FessToken {
  token: string
}

function toFessToken(it: Item): FessItemWithToken {
  return {
    id: it.id,
    name: it.name,
    token: it.token ?? '',
    tokenHint: it.token ? it.token.slice(-4) : null,
    permissions: it.permissions ? it.permissions.split('\n').filter((l) => l !== '') : [],
    parameterName: it.parameter_name ?? null,
    expires: it.expires ?? null,
    createdBy: it.created_by ?? null,
    createdTime: it.created_time ?? null,
    updatedBy: it.updated_by ?? null,
    updatedTime: it.updated_time ?? null,
    versionNo: it.version_no ?? null
  }
}

/** Drops the value: what list/get results carry. */
export function publicFessToken(t: FessItemWithToken): FessToken {
  const { token: _t, ...rest } = t
  return rest
}

/**
 * Lines Fess will mangle: output is decoded by the first character, so a plain `Robert` comes back `{role}obert`
 * (contracts/fess.md "Permissions encoding").
 */
export function permissionWarnings(lines: string[]): string[] {
  return lines
    .map((l) => l.trim())
    .filter((l) => /^[R12D]/.test(l))
    .map(
      (l) =>
        `Fess will read the permission "${l}" by its first character and show it changed; write it as {role}..., {user}..., {group}... or (deny)...`
    )
}

export interface FessCredentials {
  token: string
}

export class FessClient extends ServerClient<FessCredentials> {
  private version: string | null = null

  constructor(opts: Omit<HttpOptions, 'label'>, cred: FessCredentials) {
    super(opts, cred, 'Fess', cred.token)
  }

  get serverVersion(): string | null {
    return this.version
  }

  private async call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    read: boolean,
    signal?: AbortSignal
  ) {
    const res = await this.http.send({
      method,
      path: BASE + path,
      headers: {
        authorization: `Bearer ${this.cred.token}`,
        'accept-language': 'en',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {})
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      read,
      signal
    })
    return this.http.guard(() => this.envelope(res))
  }

  /** Maps Fess's envelope to coded errors; the server's own message is kept. */
  private envelope(res: HttpResponse): Record<string, unknown> {
    let env: z.infer<typeof Envelope>
    try {
      env = parseAnswer(res, Envelope, 'Fess')
    } catch (e) {
      // No envelope: judge by HTTP status first (a proxy or the servlet container answered).
      if (res.status === 401) fail('AUTH', `Fess refused the request (HTTP 401)`)
      if (res.status === 403) fail('FORBIDDEN', `Fess refused the request (HTTP 403)`)
      if (res.status === 404)
        fail('NOT_FOUND', `Fess has no access-token API at this address (HTTP 404): check the base URL`)
      if (res.status >= 500) fail('SERVER', `Fess failed (HTTP ${res.status})`, { status: res.status })
      throw e
    }
    const r = env.response
    if (r.version) this.version = r.version
    const msg = r.message ?? ''
    switch (r.status) {
      case 0:
        if (res.status !== 200) fail('PROTOCOL', `Fess answered status 0 with HTTP ${res.status}`)
        return r
      case 3:
        // HTTP 200 on purpose: every auth failure of Fess looks like this (contracts/fess.md "Auth").
        fail(
          'AUTH',
          `Fess refused the access token: ${msg || 'Unauthorized request.'} (it needs a valid, unexpired token with {role}admin-api)`,
          {
            status: 3
          }
        )
      // eslint-disable-next-line no-fallthrough
      case 1:
        if (/^The data .* is not found\.$/.test(msg)) fail('NOT_FOUND', `Fess: ${msg}`, { status: 1 })
        if (/^error_code:/.test(msg)) fail('VALIDATION', `Fess could not read the request body (${msg})`, { status: 1 })
        fail('VALIDATION', `Fess: ${msg || 'bad request'}`, { status: 1 })
      // eslint-disable-next-line no-fallthrough
      case 2:
        fail('SERVER', `Fess failed: ${msg || 'system error'} (HTTP ${res.status})`, { status: 2 })
      // eslint-disable-next-line no-fallthrough
      default:
        fail('SERVER', `Fess answered status ${r.status}: ${msg}`, { status: r.status })
    }
  }

  /** The major version decides POST/PUT (15.x: POST creates; <= 14.x: PUT creates). Learnt from any envelope. */
  async detectVersion(signal?: AbortSignal): Promise<string> {
    if (!this.version) await this.listPage(1, 1, signal)
    return this.version ?? '15'
  }

  private async methods(signal?: AbortSignal): Promise<{ create: 'POST' | 'PUT'; update: 'POST' | 'PUT' }> {
    const major = Number((await this.detectVersion(signal)).split('.')[0])
    return major <= 14 ? { create: 'PUT', update: 'POST' } : { create: 'POST', update: 'PUT' }
  }

  async listPage(
    page: number,
    size: number,
    signal?: AbortSignal
  ): Promise<{ items: FessItemWithToken[]; total: number }> {
    if (page * size > FESS_WINDOW)
      fail('VALIDATION', `Fess cannot page past ${FESS_WINDOW} results (page ${page} x size ${size})`, { path: 'page' })
    // Paging is read only from a JSON body, even on GET (contracts/fess.md "Paging").
    const r = await this.call('GET', '/settings', { page, size }, true, signal)
    const body = checkShape(r, ListBody, 'Fess')
    return { items: body.settings.map(toFessToken), total: body.total }
  }

  async list(
    opts: { page?: number; size?: number; all?: boolean; concurrency?: number; signal?: AbortSignal } = {}
  ): Promise<FessListResult & { items: FessItemWithToken[] }> {
    const notes: string[] = []
    if (!opts.all) {
      const page = opts.page ?? 1
      const size = opts.size ?? 25
      const r = await this.listPage(page, size, opts.signal)
      const capped = r.total >= FESS_WINDOW
      if (capped) notes.push('Fess counts at most 10,000 matches: there are 10,000 tokens or more.')
      return {
        items: r.items,
        total: r.total,
        totalCapped: capped,
        truncated: false,
        page,
        size,
        serverVersion: this.version ?? '',
        notes
      }
    }
    // All: few large pages (1000 x 10 covers the whole window), fetched with bounded concurrency after the first.
    const asked = Math.min(opts.size ?? 1000, FESS_WINDOW)
    const first = await this.listPage(1, asked, opts.signal)
    // A server that caps the page size answers a short first page: page on with the size it really gives.
    const n1 = first.items.length
    const size = n1 > 0 && n1 < asked && n1 < first.total ? n1 : asked
    const want = Math.min(first.total, FESS_WINDOW)
    const lastPage = Math.floor(FESS_WINDOW / size)
    const pages = Math.min(Math.ceil(want / size), lastPage)
    const results: FessItemWithToken[][] = [first.items]
    let next = 2
    const worker = async () => {
      while (next <= pages) {
        const p = next++
        const got = (await this.listPage(p, size, opts.signal)).items
        results[p - 1] = got
        if (got.length === 0) next = pages + 1
      }
    }
    await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, Math.max(0, pages - 1)) }, worker))
    const seen = new Set<string>()
    const items: FessItemWithToken[] = []
    const add = (page: FessItemWithToken[] | undefined) => {
      for (const it of page ?? []) {
        if (seen.has(it.id)) continue
        seen.add(it.id)
        items.push(it)
      }
    }
    results.forEach(add)
    // Paged by `total`: while rows are missing and the last page was full, ask for the next (an empty page ends it).
    for (let p = pages + 1; items.length < want && p <= lastPage && (results[p - 2]?.length ?? 0) > 0; p++) {
      results[p - 1] = (await this.listPage(p, size, opts.signal)).items
      add(results[p - 1])
    }
    const capped = first.total >= FESS_WINDOW
    if (capped)
      notes.push(
        'Fess cannot list past 10,000 results: this list stops at the first 10,000 (by name); more tokens may exist on the server.'
      )
    const short = items.length < want
    if (short)
      notes.push(
        `Fess said ${want} tokens but listed ${items.length}: tokens were added or removed while listing, or the server pages differently.`
      )
    return {
      items,
      total: first.total,
      totalCapped: capped,
      truncated: capped || short,
      page: 1,
      size,
      serverVersion: this.version ?? '',
      notes
    }
  }

  async get(id: string, signal?: AbortSignal): Promise<FessItemWithToken> {
    const r = await this.call('GET', `/setting/${encodeURIComponent(id)}`, undefined, true, signal)
    const body = checkShape(r, GetBody, 'Fess')
    return toFessToken(body.setting)
  }

  async create(
    input: { name: string; permissions?: string[]; parameterName?: string | null; expires?: string | null },
    signal?: AbortSignal
  ): Promise<{ item: FessItemWithToken; warnings: string[] }> {
    const m = await this.methods(signal)
    const body: Record<string, unknown> = { name: input.name }
    if (input.permissions?.length) body.permissions = input.permissions.join('\n')
    if (input.parameterName) body.parameter_name = input.parameterName
    if (input.expires) body.expires = input.expires
    const r = await this.call(m.create, '/setting', body, false, signal)
    const w = checkShape(r, WriteBody, 'Fess')
    // Create does not return the token value: read it back (contracts/fess.md "Endpoints").
    const item = await this.get(w.id, signal)
    if (item.token.length === 0) fail('PROTOCOL', 'Fess created the token but did not show its value')
    return { item, warnings: permissionWarnings(input.permissions ?? []) }
  }

  /**
   * Read, merge, write: Fess clears every field an update leaves out, so the fields the user did not change are
   * re-sent as the server has them. `expectedUpdatedTime` is what the user last saw: if the server's moved, CONFLICT.
   */
  async update(
    id: string,
    patch: { name?: string; permissions?: string[]; parameterName?: string | null; expires?: string | null },
    expectedUpdatedTime?: number,
    signal?: AbortSignal
  ): Promise<{ item: FessItemWithToken; changed: string[]; warnings: string[] }> {
    const cur = await this.get(id, signal)
    this.checkUnchanged(cur, expectedUpdatedTime)
    const next = {
      name: patch.name ?? cur.name,
      permissions: patch.permissions ?? cur.permissions,
      parameterName: patch.parameterName !== undefined ? patch.parameterName : cur.parameterName,
      expires: patch.expires !== undefined ? patch.expires : cur.expires
    }
    const changed = (['name', 'permissions', 'parameterName', 'expires'] as const).filter(
      (k) => JSON.stringify(next[k]) !== JSON.stringify(cur[k])
    )
    const m = await this.methods(signal)
    const body: Record<string, unknown> = {
      id: cur.id,
      // Required by Fess but not enforced (contracts/fess.md): the real check is the updated_time comparison above.
      version_no: cur.versionNo ?? -1,
      name: next.name,
      permissions: next.permissions.join('\n')
    }
    if (next.parameterName) body.parameter_name = next.parameterName
    if (next.expires) body.expires = next.expires
    await this.call(m.update, '/setting', body, false, signal)
    const item = await this.get(id, signal)
    return { item, changed, warnings: patch.permissions ? permissionWarnings(patch.permissions) : [] }
  }

  async delete(id: string, expectedUpdatedTime?: number, signal?: AbortSignal): Promise<void> {
    if (expectedUpdatedTime !== undefined) this.checkUnchanged(await this.get(id, signal), expectedUpdatedTime)
    await this.call('DELETE', `/setting/${encodeURIComponent(id)}`, undefined, false, signal)
  }

  private checkUnchanged(cur: FessItemWithToken, expected?: number): void {
    if (expected !== undefined && cur.updatedTime !== expected)
      throw new AppError(
        'CONFLICT',
        `The Fess token "${cur.name}" changed on the server since you read it (updated ${cur.updatedTime ? new Date(cur.updatedTime).toISOString() : 'at an unknown time'} by ${cur.updatedBy ?? 'someone'}); reload it and try again`,
        {
          id: cur.id,
          updatedTime: cur.updatedTime
        }
      )
  }

  /** test-connection: one tiny list call proves the address, the token and its admin permission. */
  async test(signal?: AbortSignal): Promise<{ serverVersion: string | null; user: null; message: string }> {
    const r = await this.listPage(1, 1, signal)
    return {
      serverVersion: this.version,
      user: null,
      message: `Fess ${this.version ?? '?'} answered; ${r.total >= FESS_WINDOW ? '10,000 or more' : r.total} access tokens`
    }
  }
}
