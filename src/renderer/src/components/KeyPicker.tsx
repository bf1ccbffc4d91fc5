import { useEffect, useState } from 'react'
import { useKeysStore, algorithmsFor } from '../stores/keys.store'
import { detectKeyText, keySourceFrom, type KeySource } from '../lib/keytext'
import { JWT_ALGORITHMS, SECRET_ENCODINGS, type KeyInfo, type SecretEncodingName } from '../../../shared/contract'

export interface KeyChoice {
  mode: 'stored' | 'secret' | 'file'
  keyName: string
  /** Typed by the user for this one call; never put in a store. */
  secret: string
  encoding: SecretEncodingName
  fileText: string
  fileName: string
}

/** The options of a signing-key select: none, then every stored key that has a private part. */
export function SigningKeyOptions({ keys }: { keys: KeyInfo[] }) {
  return (
    <>
      <option value="">none</option>
      {keys
        .filter((k) => k.hasPrivate)
        .map((k) => (
          <option key={k.kid} value={k.name}>
            {k.name} ({k.alg})
          </option>
        ))}
    </>
  )
}

export const emptyKeyChoice: KeyChoice = {
  mode: 'stored',
  keyName: '',
  secret: '',
  encoding: 'utf8',
  fileText: '',
  fileName: ''
}

export function keySourceOf(c: KeyChoice): KeySource | { keyName: string } | null {
  if (c.mode === 'stored') return c.keyName ? { keyName: c.keyName } : null
  if (c.mode === 'secret') return c.secret ? { secret: c.secret, encoding: c.encoding } : null
  const d = detectKeyText(c.fileText)
  return d ? keySourceFrom(c.fileText, d, {}) : null
}

/** The algorithms the chosen key can do (the alg picker offers only these). */
export function useAlgorithmsFor(c: KeyChoice): string[] {
  const items = useKeysStore((s) => s.items)
  if (c.mode === 'stored') {
    const k = items.find((x) => x.name === c.keyName)
    return k ? algorithmsFor(k) : []
  }
  if (c.mode === 'secret') return ['HS256', 'HS384', 'HS512']
  const d = detectKeyText(c.fileText)
  if (!d) return []
  if (d.kind === 'secret') return ['HS256', 'HS384', 'HS512']
  return JWT_ALGORITHMS.filter((a) => !a.startsWith('HS'))
}

/** RFC 7518 §3.2: an HMAC key must be at least as long as the hash output. */
function weakKeyWarning(c: KeyChoice, alg: string): string | null {
  if (c.mode !== 'secret' || !alg.startsWith('HS') || !c.secret) return null
  const need = Number(alg.slice(2)) / 8
  let bytes = new TextEncoder().encode(c.secret).length
  if (c.encoding === 'hex') bytes = Math.floor(c.secret.length / 2)
  if (c.encoding === 'base64' || c.encoding === 'base64url')
    bytes = Math.floor((c.secret.replace(/=+$/, '').length * 3) / 4)
  return bytes < need
    ? `Weak key: ${bytes} bytes, but ${alg} needs at least ${need} (RFC 7518 §3.2). Anyone can brute-force a short HMAC secret.`
    : null
}

/** A signing key and its algorithm: the algorithm follows the key (the first it can do when the key cannot do it). */
export function useSigningKey() {
  const [key, setKey] = useState<KeyChoice>(emptyKeyChoice)
  const [alg, setAlg] = useState('')
  const possible = useAlgorithmsFor(key)
  useEffect(() => {
    if (!possible.includes(alg)) setAlg(possible[0] ?? '')
  }, [possible, alg])
  return { key, setKey, alg, setAlg, possible, weak: weakKeyWarning(key, alg) }
}

export function KeyPicker(props: {
  id: string
  value: KeyChoice
  onChange: (c: KeyChoice) => void
  needPrivate?: boolean
  testId?: string
  error?: string
}) {
  const { value: c, onChange } = props
  const items = useKeysStore((s) => s.items)
  const load = useKeysStore((s) => s.load)
  const [dragging, setDragging] = useState(false)
  useEffect(() => {
    void load()
  }, [load])
  const usable = props.needPrivate ? items.filter((k) => k.hasPrivate) : items
  const set = (patch: Partial<KeyChoice>) => onChange({ ...c, ...patch })
  const readFile = async (f: File | undefined) => {
    if (!f) return
    if (f.size > 256 * 1024) return
    set({ fileText: await f.text(), fileName: f.name })
  }
  return (
    <fieldset className="keypicker" data-testid={props.testId}>
      <legend>Key</legend>
      <div className="segmented" role="radiogroup" aria-label="Key source">
        {(['stored', 'secret', 'file'] as const).map((m) => (
          <label key={m} className={c.mode === m ? 'active' : ''}>
            <input type="radio" name={`${props.id}-mode`} checked={c.mode === m} onChange={() => set({ mode: m })} />
            {m === 'stored' ? 'Stored key' : m === 'secret' ? 'Pasted secret' : 'Key file'}
          </label>
        ))}
      </div>
      {c.mode === 'stored' ? (
        <label className="stack">
          Stored key
          <select
            id={`${props.id}-key`}
            value={c.keyName}
            onChange={(e) => set({ keyName: e.target.value })}
            aria-invalid={!!props.error}
          >
            <option value="">
              {usable.length
                ? 'choose a key…'
                : props.needPrivate
                  ? 'no key that can sign: generate or import one'
                  : 'no keys yet'}
            </option>
            {usable.map((k) => (
              <option key={k.kid} value={k.name}>
                {k.name} ({k.alg}
                {k.hasPrivate ? '' : ', public only'})
              </option>
            ))}
          </select>
        </label>
      ) : c.mode === 'secret' ? (
        <div className="row">
          <label className="stack grow">
            HMAC secret
            <input
              id={`${props.id}-secret`}
              type="password"
              autoComplete="off"
              value={c.secret}
              onChange={(e) => set({ secret: e.target.value })}
              aria-invalid={!!props.error}
            />
          </label>
          <label className="stack">
            Encoding
            <select value={c.encoding} onChange={(e) => set({ encoding: e.target.value as KeyChoice['encoding'] })}>
              {SECRET_ENCODINGS.map((e) => (
                <option key={e}>{e}</option>
              ))}
            </select>
          </label>
        </div>
      ) : (
        <div
          className={`dropzone${dragging ? ' dropping' : ''}`}
          onDragOver={(e) => {
            e.preventDefault()
            setDragging(true)
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault()
            setDragging(false)
            void readFile(e.dataTransfer.files[0])
          }}
        >
          <label className="stack">
            PEM, JWK or JWKS file (or drop it here)
            <input
              id={`${props.id}-file`}
              type="file"
              accept=".pem,.key,.crt,.json,.jwk,.txt"
              onChange={(e) => void readFile(e.target.files?.[0])}
            />
          </label>
          {c.fileName ? (
            <span className="muted">
              {c.fileName}: {detectKeyText(c.fileText)?.label ?? 'not a key'}
            </span>
          ) : null}
        </div>
      )}
      {props.error ? <div className="field-error">{props.error}</div> : null}
    </fieldset>
  )
}
