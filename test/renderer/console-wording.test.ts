import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { consoleMessage, fieldNeeds } from '../../src/renderer/src/lib/errors'
import { validate } from '../../src/renderer/src/lib/form'

describe('console wording', () => {
  it('a missing field says it is required, never the validator text', () => {
    const v = validate(z.object({ name: z.string(), n: z.number().min(3), kind: z.enum(['a', 'b']) }), {
      n: 1,
      kind: 'c'
    })
    expect(v.ok).toBe(false)
    if (v.ok) return
    expect(v.errors).toEqual({ name: 'Required.', n: 'Must be at least 3.', kind: 'Choose one of: a, b.' })
  })

  it('maps a server VALIDATION error to the field it names', () => {
    const msg = consoleMessage({
      code: 'VALIDATION',
      message: 'parameterName: Invalid input: expected string, received undefined',
      details: { path: 'parameterName' }
    })
    expect(msg).toBe('Parameter name: Required.')
  })

  it('names console controls instead of CLI flags', () => {
    const texts = [
      consoleMessage({ code: 'CONFLICT', message: '/tmp/a.jsonl already exists; pass --overwrite to replace it.' }),
      consoleMessage({
        code: 'INSECURE_URL',
        message:
          'Plain http to h would send credentials unencrypted; use https, or confirm with allowInsecure (--allow-insecure)'
      }),
      consoleMessage({
        code: 'JWT_WEAK_KEY',
        message: 'The key is short. Pass --allow-weak-key (or tick "allow weak key") to accept it.'
      })
    ]
    for (const t of texts) expect(t).not.toMatch(/--[a-z]|allowInsecure/)
    expect(texts[0]).toContain('Overwrite')
    expect(texts[2]).toContain('Allow weak key')
  })

  it('keeps messages written for people', () => {
    expect(fieldNeeds('name is required')).toBe('name is required')
  })
})
