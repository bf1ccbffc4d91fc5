import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildProgram, main } from '../../src/main/cli'
import { COMMANDS } from '../../src/main/cli/table'
import { ERROR_CODES } from '../../src/shared/errors'
import { JWT_ALGORITHMS } from '../../src/shared/contract'
import { startFessEmulator, type FessEmulator } from '../emulators/fess'
import { tempDir } from '../helpers/core'
import { PROPERTY_RUNS } from '../helpers/property'
import { HOSTILE_STRINGS, hostileString } from './arbitraries'

/**
 * The CLI's argv parser and every command behind it, fed generated argv in-process: command paths, options and
 * arguments taken from the commander tree itself, with values from fixtures and hostile strings, plus argv that is
 * noise. Every run ends with exit 0, 1 with a coded error (never INTERNAL), 2 (usage) or 3 (inventory found some),
 * and nothing it prints carries a secret it was given or a raw control character.
 */

const SECRET = 'FUZZSECRET-0123456789abcdefghijklmnopqrstuvwxyz'
const ENV_SECRET = 'FUZZENVSECRET-0123456789abcdefghijklmnopqrstuvwxyz'
// Commands whose job is to show a stored secret or key.
const SHOWS_SECRETS = /^(access-tokens reveal|sso-apps reveal|remote fess reveal|keys export|remote datafor get)$/
// C0 controls but tab and newline, DEL and C1: what escapeControls makes visible.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

interface Case {
  argv: string[]
  /** The command the argv was made for ('' for noise). */
  path: string
}

interface Node {
  path: string[]
  args: Array<{ name: string; required: boolean; variadic: boolean }>
  options: Array<{ flag: string; value: string | null; mandatory: boolean }>
  children: Node[]
}

let data: string
let fess: FessEmulator
let pemBody = ''
const tree: Node[] = []
const files: Record<string, string> = {}

const io = (out: { stdout: string; stderr: string }) => ({
  stdout: { write: (s: string) => (out.stdout += s) },
  stderr: { write: (s: string) => (out.stderr += s), isTTY: false },
  readStdin: () => SECRET,
  env: {
    ...process.env,
    TOKENDESK_DATA: data,
    FUZZ_SECRET: ENV_SECRET,
    FUZZ_EMPTY: '',
    FESS_TOKEN: fess?.adminToken ?? ''
  }
})

async function run(argv: string[]) {
  const out = { stdout: '', stderr: '' }
  const code = await main(['node', 'tokendesk', '--data', data, ...argv], io(out))
  return { code, ...out }
}

function nodeOf(c: Command, path: string[]): Node {
  return {
    path,
    args: c.registeredArguments.map((a) => ({ name: a.name(), required: a.required, variadic: a.variadic })),
    options: c.options.map((o) => ({
      flag: o.long ?? o.flags,
      value: /<([^>]+)>/.exec(o.flags)?.[1] ?? null,
      mandatory: o.mandatory
    })),
    children: c.commands.map((s) => nodeOf(s, [...path, s.name()]))
  }
}

beforeAll(async () => {
  data = tempDir('tokendesk-clifuzz-')
  fess = await startFessEmulator({ tokens: 5 })
  const dir = join(data, 'in')
  mkdirSync(dir)
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  pemBody = pem.split('\n')[1]
  const put = (name: string, text: string) => writeFileSync((files[name] = join(dir, name)), text)
  put('secret.txt', `${SECRET}\n`)
  put('key.pem', pem)
  put('claims.json', '{"sub":"alice","n":1}')
  put('proto.json', '{"__proto__":{"admin":true}}')
  put('lines.jsonl', '{"kind":"token","name":"x"}\nnot json\n')
  put('junk.bin', '\u0000\u001b[31m\uffff\ud800')
  put('empty', '')
  files.missing = join(dir, 'missing.txt')
  files.dir = dir
  for (const e of COMMANDS.filter((x) => x.name !== 'serve')) {
    const { program } = await buildProgram([e.name])
    tree.push(
      nodeOf(
        program.commands.find((c) => c.name() === e.name)!,
        [e.name]
      )
    )
  }
  // Records for ids and names in the generated argv to hit.
  await run([
    'tokens',
    'add',
    '--name',
    'fuzz_cli_token',
    ...['typ', 'aud', 'sap', 'jti', 'tag', 'shop'].flatMap((k) => [`--${k}`, 'Abcdefgh'])
  ])
  await run(['sso-apps', 'add', '--name', 'FuzzApp', '--secret-file', files['secret.txt']])
  await run(['keys', 'generate', '--name', 'fuzzkey', '--alg', 'HS256'])
  await run([
    'connections',
    'add',
    '--name',
    'fuzz-fess',
    '--kind',
    'fess',
    '--url',
    fess.url,
    '--auth',
    'token',
    '--credential-env',
    'FESS_TOKEN'
  ])
})
afterAll(async () => {
  await fess?.close()
  rmSync(data, { recursive: true, force: true })
})

const NAMES = ['fuzz_cli_token', 'FuzzApp', 'fuzzkey', 'fuzz-fess', 'missing_one']
const mix = (...xs: string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...xs), weight: 3 }, { arbitrary: hostileString, weight: 1 })
const file = (...names: string[]) => fc.constantFrom(...names.map((n) => files[n] ?? join(data, 'in', n)))
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln'

/** A value for an option or argument, chosen by its name: files stay inside the temp folder, counts stay small. */
function valueFor(name: string, flag = ''): fc.Arbitrary<string> {
  if (/secret|key-file|token-file|password|bearer|jwt-file|initpwd/.test(flag))
    return file('secret.txt', 'key.pem', 'empty', 'missing', 'dir')
  if (name === 'file')
    return flag === '--out' || flag === ''
      ? fc.constantFrom('a.jsonl', 'b.csv', 'lines.jsonl').map((n) => join(data, 'in', n))
      : file('claims.json', 'proto.json', 'lines.jsonl', 'junk.bin', 'empty', 'missing', 'dir')
  if (name === 'var') return fc.constantFrom('FUZZ_SECRET', 'FUZZ_EMPTY', 'FUZZ_UNSET', 'PATH')
  if (name === 'url')
    return mix(fess.url, 'http://127.0.0.1:9', 'http://admin:pw@127.0.0.1:9', 'https://h/?token=abc', 'not a url')
  if (flag === '--count' || flag === '--workers' || flag === '--bits' || flag === '--batch-size')
    return mix('1', '2', '3', '2048', '0', '-1')
  if (name === 'ms' || flag === '--timeout') return mix('100', '500', '0', '99999999999')
  if (/^(n|port|seconds|s|cursor)$/.test(name))
    return mix('0', '1', '25', '-3', '1e3', '99999999999999', '9000000000000000')
  if (/json|map/.test(name))
    return mix('{}', '{"sub":"x"}', '{"__proto__":{"a":1}}', '{"constructor":{}}', '[1]', 'x=y,z=w', 'not json')
  if (/duration|when|^t$/.test(name))
    return mix('1h', '30d', '0', '-5m', '2026-12-31', '2026-12-31T10:00:00Z', '99999999999999', '9000000000000000')
  if (/alg/.test(name)) return mix(...JWT_ALGORITHMS, 'none', 'HS256,RS256')
  if (name === 'token') return mix(JWT, `${JWT}x`, 'a.b.c', 'eyJ.eyJ.')
  if (flag === '--conn')
    return fc.oneof({ arbitrary: fc.constant('fuzz-fess'), weight: 3 }, { arbitrary: mix(...NAMES), weight: 1 })
  if (/^(id|name|names|localId|u|n|e|r|login|subject|issuer|audience|address|k=v)$/.test(name) || flag === '--server')
    return mix(...NAMES, 'alice', 'a=b')
  return fc.oneof(
    fc.constantFrom('*', 'x', 'Primary', 'fess', 'token', 'json', 'csv', 'jwk', 'pem', '0', '1'),
    hostileString
  )
}

/** argv for one command: its path, each level's options after its own word, then its arguments. */
function argvFor(nodes: Node[]): fc.Arbitrary<Case> {
  return argvNode(nodes).chain((n) => {
    // A command's mandatory options always, up to four others at each level.
    const opts = n.path.map((_, i) => {
      const all = findNode(n.path.slice(0, i + 1))?.options ?? []
      // --conn too: without a connection a remote command stops before it sends anything.
      const always = (o: Node['options'][number]) => o.mandatory || o.flag === '--conn'
      const optional = all.filter((o) => !always(o))
      const pick = fc
        .subarray(optional, { maxLength: Math.min(4, optional.length) })
        .map((os) => [...all.filter(always), ...os])
      return pick.chain((os) =>
        fc
          .tuple(
            ...os.map((o) => (o.value ? valueFor(o.value, o.flag).map((v) => [o.flag, v]) : fc.constant([o.flag])))
          )
          .map((xs) => xs.flat())
      )
    })
    const args = fc.tuple(
      ...n.args.map((a) =>
        a.variadic ? fc.array(valueFor(a.name), { minLength: 1, maxLength: 3 }) : valueFor(a.name).map((v) => [v])
      )
    )
    const drop = fc.integer({ min: 0, max: 7 }).map((n) => n === 0)
    return fc.tuple(fc.tuple(...opts), args, drop, fc.boolean()).map(([o, a, drop, json]) => {
      const positional = a.flat()
      const argv = [
        ...(json ? ['--json'] : []),
        ...n.path.flatMap((w, i) => [w, ...o[i]]),
        ...(drop ? positional.slice(1) : positional)
      ]
      return { argv, path: n.path.join(' ') }
    })
  })
}
const argvNode = (nodes: Node[]): fc.Arbitrary<Node> =>
  fc
    .constantFrom(...nodes)
    .chain((n) =>
      n.children.length
        ? fc.oneof({ arbitrary: fc.constant(n), weight: 1 }, { arbitrary: argvNode(n.children), weight: 9 })
        : fc.constant(n)
    )
function findNode(path: string[]): Node | undefined {
  let level = tree
  let found: Node | undefined
  for (const w of path) {
    found = level.find((n) => n.path[n.path.length - 1] === w)
    level = found?.children ?? []
  }
  return found
}

/** Noise: words of the CLI, option flags and hostile strings in any order. */
const noise = (): fc.Arbitrary<Case> =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          ...tree.map((n) => n.path[0]),
          'help',
          '--help',
          '--version',
          '--json',
          '--',
          '-x',
          '--no-such'
        ),
        fc.constantFrom(...tree.flatMap((n) => n.options.map((o) => o.flag))),
        fc.constantFrom(...HOSTILE_STRINGS)
      ),
      { maxLength: 6 }
    )
    .map((argv) => ({ argv, path: '' }))

function expectClean({ argv, path }: Case, r: { code: number; stdout: string; stderr: string }) {
  const label = `tokendesk ${JSON.stringify(argv)} -> ${r.code}\n${r.stderr.slice(0, 400)}`
  expect([0, 1, 2, 3], label).toContain(r.code)
  if (r.code === 1) {
    const code = /^error ([A-Z_]+): /m.exec(r.stderr)?.[1]
    expect(ERROR_CODES, label).toContain(code)
  }
  expect(r.stderr + r.stdout, label).not.toMatch(/error INTERNAL|"code":\s*"INTERNAL"/)
  // CSV ends its lines with CRLF (RFC 4180); a CR anywhere else could overwrite what the terminal shows.
  expect(RAW_CONTROL.test(r.stdout.replace(/\r\n/g, '\n')) || RAW_CONTROL.test(r.stderr), label).toBe(false)
  if (!SHOWS_SECRETS.test(path)) {
    for (const s of [SECRET, ENV_SECRET, pemBody, fess.adminToken]) expect(r.stdout + r.stderr, label).not.toContain(s)
  }
}

describe('the CLI, fed generated argv in-process', () => {
  it(
    'every run ends coded, prints no secret and no raw control character',
    async () => {
      const seen = new Map<string, number>()
      await fc.assert(
        fc.asyncProperty(
          fc.oneof({ arbitrary: argvFor(tree), weight: 4 }, { arbitrary: noise(), weight: 1 }),
          async (c) => {
            const { argv } = c
            let r: Awaited<ReturnType<typeof run>>
            try {
              r = await run(argv)
            } catch (e) {
              throw new Error(`main() threw for ${JSON.stringify(argv)}: ${String(e)}`, { cause: e })
            }
            expectClean(c, r)
            const key = r.code === 1 ? /^error ([A-Z_]+)/m.exec(r.stderr)?.[1] : String(r.code)
            seen.set(`${c.path.split(' ')[0]} ${key}`, (seen.get(`${c.path.split(' ')[0]} ${key}`) ?? 0) + 1)
          }
        ),
        { numRuns: PROPERTY_RUNS }
      )
      if (process.env.FUZZ_STATS) console.log(JSON.stringify([...seen].sort()))
    },
    600_000 * Math.max(1, PROPERTY_RUNS / 1000)
  )
})
