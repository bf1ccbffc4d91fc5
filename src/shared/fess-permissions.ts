import type { PermissionLine } from './contract'

/**
 * Fess's permission encoding (contracts/fess.md "Permissions encoding"): `{role}x` -> `Rx`, `{user}x` -> `1x`,
 * `{group}x` -> `2x`, `(deny)` adds `D` in front, `(allow)` is dropped. Reading back decodes by the first character.
 */
export function encodePermission(line: string): PermissionLine {
  let rest = line.trim()
  let deny = false
  if (rest.toLowerCase().startsWith('(allow)')) rest = rest.slice(7)
  else if (rest.toLowerCase().startsWith('(deny)')) {
    deny = true
    rest = rest.slice(6)
  }
  let kind: PermissionLine['kind'] = 'plain'
  let encoded = rest
  for (const [k, prefix] of [
    ['role', 'R'],
    ['user', '1'],
    ['group', '2']
  ] as const) {
    if (rest.startsWith(`{${k}}`)) {
      kind = k
      encoded = prefix + rest.slice(k.length + 2)
    }
  }
  if (deny) encoded = `D${encoded}`
  const normal = `${deny ? '(deny)' : ''}${rest}`
  return { line: normal, encoded, readBack: decodePermission(encoded), kind, deny }
}

export function decodePermission(encoded: string): string {
  let s = encoded
  let out = ''
  if (s.startsWith('D')) {
    out = '(deny)'
    s = s.slice(1)
  }
  const map: Record<string, string> = { R: '{role}', '1': '{user}', '2': '{group}' }
  const p = map[s[0] ?? '']
  return out + (p ? p + s.slice(1) : s)
}

/** Why a line would come back changed (a plain value starting with R, 1, 2 or D is read as a prefix), else null. */
export function permissionWarning(p: PermissionLine): string | null {
  if (p.readBack === p.line) return null
  return `"${p.line}" is stored by Fess as "${p.encoded}" and reads back as "${p.readBack}": a plain value starting with R, 1, 2 or D is taken for a prefix. Write it as {user}${p.line.replace(/^\(deny\)/, '')}, {role}… or {group}… instead.`
}

/** Each non-blank line as Fess would store and read it back (blanks and duplicates dropped, as Fess does). */
export function fessPermissionLines(text: string | readonly string[]): PermissionLine[] {
  const seen = new Set<string>()
  const out: PermissionLine[] = []
  for (const raw of typeof text === 'string' ? text.split('\n') : text) {
    if (!raw.trim()) continue
    const p = encodePermission(raw)
    if (seen.has(p.encoded)) continue
    seen.add(p.encoded)
    out.push(p)
  }
  return out
}
