import { readdirSync, readFileSync } from 'node:fs'
import { join, relative as rel } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  absolute,
  absoluteDay,
  dayTicks,
  instant,
  localInputValue,
  num,
  relative
} from '../../src/renderer/src/lib/format'

const SRC = join(__dirname, '..', '..', 'src', 'renderer', 'src')
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []
  )

describe('one formatter for times and numbers in the console', () => {
  it('no screen or component formats a time or a number itself: only lib/format.ts does', () => {
    // What a screen would reach for to format a time or number on its own.
    const own = [
      /\.toLocale(?:String|DateString|TimeString)\(/,
      /Intl\.(?:DateTimeFormat|RelativeTimeFormat|NumberFormat)/,
      /\.get(?:FullYear|Month|Date|Day|Hours|Minutes|Seconds)\(\)/,
      /\.toISOString\(\)\.(?:slice|replace|substring)/,
      /\.toUTCString\(\)|\.toDateString\(\)|\.toTimeString\(\)/
    ]
    const offenders = files(SRC)
      .filter((f) => rel(SRC, f) !== join('lib', 'format.ts'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .flatMap((line, i) => (own.some((re) => re.test(line)) ? [`${rel(SRC, f)}:${i + 1}: ${line.trim()}`] : []))
      )
    expect(offenders).toEqual([])
  })

  it('numbers are grouped', () => {
    expect(num(100000)).toBe('100,000')
    expect(num(1234567.891)).toBe('1,234,567.89')
    expect(num(undefined)).toBe('—')
  })

  it('one absolute format, in the local zone with its name', () => {
    const d = new Date(2026, 11, 7, 14, 5, 9)
    expect(absolute(d)).toMatch(/^2026-12-07 14:05:09 \S+/)
    expect(absoluteDay(d)).toBe('Mon 2026-12-07')
    expect(absolute(null)).toBe('—')
    expect(localInputValue(d.getTime())).toBe('2026-12-07T14:05')
  })

  it("reads xdua's stamps as UTC and Fess's zone-less times as local", () => {
    expect(instant('2026-12-07 14:05:09').toISOString()).toBe('2026-12-07T14:05:09.000Z')
    expect(instant('2026-12-07T14:05:09').getTime()).toBe(new Date(2026, 11, 7, 14, 5, 9).getTime())
    expect(instant(0).getTime()).toBe(0)
  })

  it('chart days: month-day, with the year where it changes', () => {
    const d = (y: number, m: number, day: number) => new Date(y, m - 1, day).getTime()
    expect(dayTicks([d(2026, 12, 24), d(2026, 12, 31), d(2027, 1, 7)])).toEqual(['2026-12-24', '12-31', '2027-01-07'])
  })

  it('relative words around now', () => {
    const now = Date.UTC(2026, 11, 7)
    expect(relative(now + 3 * 86400_000, now)).toBe('in 3 days')
    expect(relative(now - 2 * 3600_000, now)).toBe('2 hours ago')
  })
})
