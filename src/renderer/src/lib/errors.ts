import type { AppErrorShape } from '../../../shared/errors'

/**
 * The one place that turns coded errors into console wording. Main speaks for every entry point (the CLI too), so its
 * messages may name flags; the console names its own controls instead and never shows raw validator text.
 */

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'a yes/no choice',
  array: 'a list',
  object: 'a set of values',
  date: 'a date'
}

/** What a field needs, from a validator message (zod's default English or a message written for people). */
export function fieldNeeds(message: string): string {
  const m = message.trim()
  let x: RegExpMatchArray | null
  if ((x = m.match(/^Invalid input: expected (\w+), received (\w+)/))) {
    if (x[2] === 'undefined' || x[2] === 'null') return 'Required.'
    return `Enter ${TYPE_WORDS[x[1]] ?? x[1]}.`
  }
  if ((x = m.match(/^Too small: expected (?:string|array) to have >=?(\d+) (characters|items)/))) {
    const n = Number(x[1])
    if (n <= 1) return 'Required.'
    return x[2] === 'items' ? `Give at least ${n}.` : `Use at least ${n} characters.`
  }
  if ((x = m.match(/^Too big: expected (?:string|array) to have <=?(\d+) (characters|items)/)))
    return x[2] === 'items' ? `Give at most ${x[1]}.` : `Use at most ${x[1]} characters.`
  if ((x = m.match(/^Too small: expected (?:number|int|bigint) to be (>=?)(-?[\d.]+)/)))
    return x[1] === '>' ? `Must be more than ${x[2]}.` : `Must be at least ${x[2]}.`
  if ((x = m.match(/^Too big: expected (?:number|int|bigint) to be (<=?)(-?[\d.]+)/)))
    return x[1] === '<' ? `Must be less than ${x[2]}.` : `Must be at most ${x[2]}.`
  if ((x = m.match(/^Invalid option: expected one of (.+)$/)))
    return `Choose one of: ${x[1].replace(/"/g, '').split('|').join(', ')}.`
  if (/^Invalid input: expected (?:\w+ )?(?:url|URL)/.test(m) || /^Invalid (?:url|URL)/.test(m))
    return 'Enter a full address such as https://example.com.'
  if (/^Invalid (?:string|input): must match pattern/.test(m)) return 'Not in the expected format.'
  if (/^Invalid (?:ISO )?(?:datetime|date)/.test(m)) return 'Enter a complete date and time.'
  if (/^Invalid email/.test(m)) return 'Enter an email address.'
  if (/^Unrecognized key/.test(m)) return 'Not a field this form sends.'
  if (/^Invalid input$/.test(m)) return 'Check this value.'
  return withoutCliSpeak(m)
}

/** Replaces CLI phrasing (flags, commands) in a message with the console's controls. */
export function withoutCliSpeak(text: string): string {
  return text
    .replace(
      /\s*Pass --allow-weak-key \(or tick "allow weak key"\) to accept it\./,
      ' Tick “Allow weak key” to use it anyway.'
    )
    .replace(/\s*Pass --allow-weak-key to accept it\./, ' Tick “Allow weak key” to use it anyway.')
    .replace(/;?\s*pass --overwrite to replace it\.?/, ': tick “Overwrite” to replace it.')
    .replace(/, or confirm with allowInsecure \(--allow-insecure\)/, ', or tick “Allow plain http” on the connection')
    .replace(/\s*\(--key-file \/ pasted PEM\)/, ' (paste it as a PEM key)')
    .replace(/: name one with --kid\./, ': enter the kid of the one to use.')
    .replace(/ differs from --alg (\w+)/, ' differs from the chosen algorithm $1')
    .replace(/\(e\.g\. --alg (\w+)\)/, '(e.g. $1)')
    .replace(
      /: set it with remote datafor put --secret-file, then mint/,
      ': set it with “Set secret” on the app, then mint'
    )
    .replace(/: add one \(connections update --credential-file \.\.\.\)/, ': add one with Edit on the connection')
    .replace(/: set one with `tokens set \S+ --key NAME`/, ': choose one with Edit (Signing key)')
    .replace(/ \(start again without --after\)/, ' (reload the list)')
    .replace(/Is `tokendesk serve` still running\?/, 'Is the TokenDesk server still running?')
    .replace(/ \(?--[a-z][a-z-]+\b[^).;]*\)?/g, '')
    .replace(/\ballowInsecure\b/g, 'Allow plain http')
}

/** The message the console shows for a coded error. */
export function consoleMessage(e: Pick<AppErrorShape, 'code' | 'message' | 'details'>): string {
  if (e.code === 'VALIDATION') {
    const path = typeof e.details?.path === 'string' ? e.details.path : ''
    const raw = path && e.message.startsWith(`${path}: `) ? e.message.slice(path.length + 2) : e.message
    const needs = fieldNeeds(raw)
    return path && path !== '(input)' ? `${fieldLabel(path)}: ${needs}` : needs
  }
  return withoutCliSpeak(e.message)
}

/** "key.kid" → "Key kid", "parameterName" → "Parameter name": a readable field name for a whole-form message. */
function fieldLabel(path: string): string {
  const words = path
    .split('.')
    .map((p) => p.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())
    .join(' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}
