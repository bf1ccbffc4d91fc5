import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../helpers/property'
import { FessClient } from '../../src/main/remote/fess'
import { DataforClient } from '../../src/main/remote/datafor'
import { XduaClient } from '../../src/main/remote/xdua'
import { AppError, type ErrorCode } from '../../src/shared/errors'
import { XDUA_VERBS } from '../../src/shared/contract'

/**
 * Hostile servers: a tiny local HTTP server answers every request with a generated status, headers and body (random
 * text, random JSON, each server's envelope with wrong or missing fields, cut-off JSON). Whatever the answer, each
 * client either returns or fails with an AppError of a remote code: never INTERNAL, never an uncoded throw.
 */

interface Reply {
  status: number
  headers: Record<string, string>
  body: string
}

const REMOTE_CODES = new Set<ErrorCode>([
  'PROTOCOL',
  'SERVER',
  'AUTH',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION',
  'CONFLICT',
  'INVALID_STATE',
  'NETWORK',
  'TIMEOUT'
])
const CREDENTIAL = 'FUZZ-CRED-0123456789abcdefghijklmnopqrstuvwxyz'

let server: Server
let baseUrl = ''
let reply: Reply = { status: 200, headers: {}, body: '' }

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      try {
        res.writeHead(reply.status, reply.headers)
        res.end(reply.body)
      } catch {
        res.destroy()
      }
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

// Any JSON value, or a leaf of a wrong type where a field is expected.
const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.jsonValue()
)
// Server text that may echo the credential back, as some servers do.
const text = fc.oneof(
  fc.string(),
  fc.constantFrom(`Invalid access token: Bearer ${CREDENTIAL}`, `wrong password ${CREDENTIAL}`, CREDENTIAL)
)
const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, junk)
const opt = <T extends Record<string, fc.Arbitrary<unknown>>>(r: T) => fc.record(r, { requiredKeys: [] })

const fessItem = opt({
  id: maybe(fc.string({ minLength: 1, maxLength: 20 })),
  name: maybe(fc.string()),
  token: maybe(fc.string()),
  permissions: maybe(fc.string()),
  expires: maybe(fc.string()),
  created_time: maybe(fc.integer()),
  updated_time: maybe(fc.integer()),
  version_no: maybe(fc.integer())
})
const fessBody = opt({
  response: maybe(
    opt({
      status: maybe(fc.integer({ min: -1, max: 9 })),
      version: maybe(fc.constantFrom('15.7', '14.19', '', 'x.y')),
      message: maybe(text),
      settings: maybe(fc.array(fessItem, { maxLength: 4 })),
      total: maybe(fc.integer({ min: -5, max: 20_000 })),
      setting: maybe(fessItem),
      id: maybe(fc.string()),
      created: maybe(fc.boolean())
    })
  )
})

const dataforConfig = opt({
  name: maybe(fc.string()),
  token_name: maybe(fc.string()),
  secret: maybe(fc.string()),
  expire: maybe(fc.integer()),
  fieldmap: maybe(opt({ username: maybe(fc.string()) })),
  algorithm: maybe(fc.constantFrom('HS256', 'RS256', 'nope')),
  enable: maybe(fc.constantFrom('0', '1')),
  initroles: maybe(fc.array(fc.string(), { maxLength: 2 }))
})
const dataforBody = opt({
  success: maybe(fc.boolean()),
  code: maybe(fc.constantFrom('400', '401', '403', '404', '409', '500', '503', '999', '')),
  msg: maybe(text),
  data: maybe(fc.oneof(fc.array(dataforConfig, { maxLength: 3 }), opt({ username: maybe(fc.string()) }))),
  jsessionid: maybe(fc.string()),
  token: maybe(fc.constantFrom('a.b.c', 'eyJ.eyJ.sig', 'not a jwt')),
  expire: maybe(fc.integer()),
  total: maybe(fc.integer({ min: -1, max: 10 })),
  name: maybe(fc.string())
})

const xduaRecord = opt({
  id: maybe(fc.string({ minLength: 1, maxLength: 8 })),
  name: maybe(fc.string()),
  state: maybe(fc.integer({ min: 0, max: 2 })),
  expire: maybe(fc.integer())
})
const xduaBody = opt({
  status: maybe(fc.integer()),
  apid: maybe(fc.string()),
  error: maybe(fc.integer({ min: -1, max: 300_000 })),
  reason: maybe(fc.oneof(fc.constantFrom('success', 'TokenNotDeleted', 'PermissionDenied', 'Whatever', ''), text)),
  message: maybe(text),
  result: maybe(
    opt({
      id: maybe(fc.string()),
      total: maybe(fc.integer({ min: -1, max: 3 })),
      limit: maybe(fc.integer({ min: -1, max: 500 })),
      list: maybe(fc.array(xduaRecord, { maxLength: 3 })),
      data: maybe(xduaRecord),
      updates: maybe(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 2 }))
    })
  )
})

const bodyOf = (envelope: fc.Arbitrary<unknown>) =>
  fc.oneof(
    envelope.map((v) => JSON.stringify(v) ?? ''),
    fc.tuple(envelope, fc.nat()).map(([v, n]) => (JSON.stringify(v) ?? '').slice(0, n)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('', '<html><body>login</body></html>', 'null', '[]', '{}', '{"response":', '\u0000\uffff')
  )

const replyOf = (envelope: fc.Arbitrary<unknown>): fc.Arbitrary<Reply> =>
  fc
    .record({
      status: fc.oneof(
        fc.constantFrom(200, 200, 200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503),
        fc.integer({ min: 200, max: 599 })
      ),
      headers: opt({
        'content-type': fc.constantFrom(
          'application/json',
          'application/json;charset=UTF-8',
          'text/html',
          'text/plain',
          'application/octet-stream'
        ),
        'x-ca-error-code': fc.constantFrom('A401AC', 'E500', ''),
        'x-ca-error-message': text.map((s) => s.replace(/[^\x20-\x7e]/g, '')),
        'set-cookie': fc.constantFrom('JSESSIONID=ABC; Path=/', 'other=1')
      }).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>),
      body: bodyOf(envelope)
    })
    .map((r) => (r.status === 204 ? { ...r, body: '' } : r))

/** Runs one client operation against `r`; a failure must be an AppError with a remote code and no credential. */
async function outcome(r: Reply, op: () => Promise<unknown>): Promise<void> {
  reply = r
  try {
    await op()
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(AppError)
    const err = e as AppError
    expect(REMOTE_CODES.has(err.code), `${err.code}: ${err.message}`).toBe(true)
    expect(JSON.stringify(err)).not.toContain(CREDENTIAL)
  }
}

const http = () => ({ baseUrl, timeoutMs: 5000, retries: 0 })

describe('hostile responses never crash a client (fast-check)', () => {
  it(`Fess: ${PROPERTY_RUNS} answers`, async () => {
    const ops = ['listPage', 'listAll', 'get', 'create', 'update', 'delete', 'test'] as const
    await fc.assert(
      fc.asyncProperty(replyOf(fessBody), fc.constantFrom(...ops), async (r, op) => {
        const c = new FessClient(http(), { token: CREDENTIAL })
        try {
          await outcome(r, () => {
            if (op === 'listPage') return c.listPage(1, 25)
            if (op === 'listAll') return c.list({ all: true, size: 2 })
            if (op === 'get') return c.get('id1')
            if (op === 'create') return c.create({ name: 'n', permissions: ['{role}x'] })
            if (op === 'update') return c.update('id1', { name: 'm' })
            if (op === 'delete') return c.delete('id1', 5)
            return c.test()
          })
        } finally {
          await c.close()
        }
      }),
      { numRuns: PROPERTY_RUNS }
    )
  }, 600_000)

  it(`Datafor: ${PROPERTY_RUNS} answers`, async () => {
    const ops = ['list', 'get', 'put', 'delete', 'deleteMany', 'generate', 'test'] as const
    await fc.assert(
      fc.asyncProperty(
        replyOf(dataforBody),
        fc.constantFrom(...ops),
        fc.constantFrom('basic', 'session', 'bearer') as fc.Arbitrary<'basic' | 'session' | 'bearer'>,
        async (r, op, method) => {
          const c = new DataforClient(http(), { method, username: 'admin', secret: CREDENTIAL })
          try {
            await outcome(r, () => {
              if (op === 'list') return c.list()
              if (op === 'get') return c.get('ERP')
              if (op === 'put') return c.put('ERP', { expire: 60, secret: 'new-secret' })
              if (op === 'delete') return c.delete('ERP')
              if (op === 'deleteMany') return c.deleteMany(['ERP', 'OA'])
              if (op === 'generate') return c.generate('ERP', 'admin')
              return c.test()
            })
          } finally {
            await c.close()
          }
        }
      ),
      { numRuns: PROPERTY_RUNS }
    )
  }, 600_000)

  it(`xdua: ${PROPERTY_RUNS} answers`, async () => {
    await fc.assert(
      fc.asyncProperty(replyOf(xduaBody), fc.constantFrom(...XDUA_VERBS, 'all' as const), async (r, verb) => {
        const c = new XduaClient(http(), CREDENTIAL)
        try {
          await outcome(r, () =>
            verb === 'all' ? c.all(undefined, 2) : c.call({ verb, id: 'rYub4wrT', fields: { name: 'abcd' } })
          )
        } finally {
          await c.close()
        }
      }),
      { numRuns: PROPERTY_RUNS }
    )
  }, 600_000)
})
