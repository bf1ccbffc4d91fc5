import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { AppError } from '../../shared/errors'
import type { CoreDeps } from '../core/types'
import type { JobContext } from '../jobs'
import type { BulkLoader } from './bulk'
import { packClaims } from './row'
import { ALNUM, quickId } from '../ids'
import { mulberry32 } from '../../shared/prng'

// ---------------------------------------------------------------------------------------------------------------
// Demo data (`tokens seed`): plausible names, briefs, apps, shops, people and a realistic mix of states.

const WORDS = [
  'erp',
  'crm',
  'oa',
  'hr',
  'bi',
  'pay',
  'shop',
  'login',
  'admin',
  'report',
  'gateway',
  'mobile',
  'kiosk',
  'sync',
  'batch',
  'audit',
  'ops',
  'care',
  'order',
  'stock'
]
const CJK = ['令牌', '登录', '报表', '社区', '慢护', '管理', '测试', '网关']
const BRIEFS = [
  'Login token for the %s console',
  'Service token for %s batch jobs',
  'Read-only token for %s reports',
  '%s 登录令牌',
  'Kiosk devices at the %s front desk',
  'Temporary token for the %s migration',
  'Partner API access (%s)',
  ''
]
const APPS = ['ConsoleE', 'ConsoleX', 'AdmManHu', 'AppMobil', 'PortalWb', 'ErpSuite', 'BiReport']
const SAPS = ['SvKerneL', '*', 'SvOrderS', 'SvReport', 'SvPayGw']
const SHOPS = ['EldrCaRE', 'XdUaXduA', 'ShopNo01', 'ShopNo02', 'CareHome']
const PEOPLE = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  '周海潮',
  '辣椒帅',
  'mallory',
  'oscar'
]
const IPMS = ['*', '*', '*', '*', '10.0.0.0/8', '192.168.1.0/24,192.168.2.10', '203.0.113.7', '2001:db8::/32']
const DVMS = ['*', '*', '*', 'kiosk-01,kiosk-02', 'ipad-frontdesk', 'pos-7f3a']

/** `tokens seed --count N`: demo data in batches of 10,000 rows, one transaction each. */
export async function seedTokens(
  deps: CoreDeps,
  loader: BulkLoader,
  count: number,
  seed: number | undefined,
  ctx: JobContext
): Promise<{ inserted: number; rowsPerSecond: number }> {
  const rand = mulberry32(seed ?? Math.floor(Math.random() * 2 ** 31))
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]
  const now = deps.now()
  // A distinctive 7-character tail (62^7 values: a clash in a million names is unlikely, and one is skipped, not
  // failed), so names read like real ones (`erp_login_Xq7pT2a`) rather than sharing one counter-shaped suffix.
  const tail = () => {
    let t = ''
    for (let j = 0; j < 7; j++) t += ALNUM[Math.floor(rand() * 62)]
    return t
  }
  const start = performance.now()
  let inserted = 0
  const dropped = await loader.run('seed', count, ctx, async (load) => {
    for (let done = 0; done < count;) {
      if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Cancelled by the user')
      const n = Math.min(10_000, count - done)
      await load.batch(() => {
        for (let i = 0; i < n; i++) {
          const w = pick(WORDS)
          const cjk = rand() < 0.1
          const name = cjk ? `${pick(CJK)}${pick(CJK)}_${tail()}` : `${w}_${pick(WORDS)}_${tail()}`
          const cstamp = now - Math.floor(rand() * 730 * 86400_000)
          const istamp = cstamp + Math.floor(rand() * (now - cstamp))
          const r = rand()
          const expire = r < 0.3 ? 0 : Math.floor(now / 1000) + Math.floor((rand() * 425 - 60) * 86400)
          const disabled = rand() < 0.15
          const id = quickId(8)
          const shortName = name.slice(0, 32)
          // Drawn in the order they always were, so a given seed makes the same data.
          const brief = pick(BRIEFS).replace('%s', w)
          const avatar = rand() < 0.2 ? `https://img.example.com/${w}.png` : ''
          const claims = packClaims({
            typ: 'L',
            aud: pick(APPS),
            sap: pick(SAPS),
            jti: quickId(8),
            ipm: pick(IPMS),
            dvm: pick(DVMS),
            tag: rand() < 0.5 ? 'Primary' : '*',
            api: '*',
            bug: '*',
            shop: pick(SHOPS),
            role: '*',
            rule: '*'
          })
          // Positional, in INSERT_COLUMNS order (a named object per row, mapped to an array, cost more than the insert).
          const rid = load.insert([
            id,
            shortName,
            brief,
            avatar,
            claims,
            disabled ? 1 : 0,
            disabled ? 'disabled' : 'enabled',
            rand() < 0.6 ? 1 : 0,
            rand() < 0.05 ? istamp : null,
            expire,
            null,
            null,
            pick(PEOPLE),
            pick(PEOPLE),
            cstamp,
            istamp,
            1 + Math.floor(rand() * 4),
            null,
            null,
            null
          ])
          if (rid !== null) inserted++
        }
      })
      load.committed()
      done += n
      ctx.progress(done, count)
      await yieldToLoop()
    }
  })
  inserted -= dropped.length
  const secs = (performance.now() - start) / 1000
  return { inserted, rowsPerSecond: Math.round(inserted / Math.max(secs, 1e-6)) }
}
