import { useEffect, useState } from 'react'
import { Screen } from '../components/Screen'
import { Badge, ErrorNote, useDebounced } from '../components/ui'
import { KeyPicker, keySourceOf, useSigningKey } from '../components/KeyPicker'
import { usePaletteActions } from '../components/paletteActions'
import { useJwtStore, type JwtTab } from '../stores/jwt.store'
import { VerifyTab } from './jwt/VerifyTab'
import { TokenField } from './jwt/TokenField'
import { TokenActions } from './jwt/TokenActions'
import { BulkTab } from './jwt/BulkTab'
import { ExpiryField } from './jwt/presets'
import { warningText } from '../lib/warnings'
import { useUiStore } from '../stores/ui.store'
import { T } from '../testids'
import { type JwtExplainedField, SignInput } from '../../../shared/contract'
import { validate, type FieldErrors } from '../lib/form'
import { absolute, relative } from '../lib/format'
import { FormActions, FormShell } from '../components/action'
import { TableHead } from '../components/TableHead'
import { SelectField, TextAreaField, TextField } from '../components/fields'

const TABS: { id: JwtTab; label: string }[] = [
  { id: 'decode', label: 'Decode & explain' },
  { id: 'verify', label: 'Verify' },
  { id: 'sign', label: 'Sign' },
  { id: 'bulk', label: 'Bulk mint' }
]
const SKEW_SECONDS = 60

function ColoredToken({ token }: { token: string }) {
  const [h, p, ...rest] = token.split('.')
  return (
    <div className="token-out" data-testid={T.jwtSignResult}>
      <span className="tok-h">{h}</span>.<span className="tok-p">{p}</span>
      {rest.length ? '.' : ''}
      <span className="tok-s">{rest.join('.')}</span>
    </div>
  )
}

function FieldsTable({
  fields,
  testId,
  caption,
  nameHeader = 'Claim'
}: {
  fields: JwtExplainedField[]
  testId: string
  caption: string
  nameHeader?: string
}) {
  return (
    <table className="table claims-table" data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <TableHead columns={[{ label: nameHeader, className: 'nowrap' }, 'Value', 'Meaning']} />
      <tbody>
        {fields.map((f) => (
          <tr key={f.name} data-claim={f.name}>
            <td>{f.name}</td>
            <td className="value">
              {typeof f.value === 'string' ? f.value : JSON.stringify(f.value)}
              {f.iso ? (
                <div className="muted">
                  {absolute(f.iso)} · {f.relative ?? ''}
                </div>
              ) : null}
            </td>
            <td>{f.meaning}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Clock skew: an `iat` or `nbf` in the future means this machine's clock and the issuer's disagree. */
function skewWarnings(payload: Record<string, unknown>): string[] {
  const now = Date.now() / 1000
  const out: string[] = []
  if (typeof payload.iat === 'number' && payload.iat > now + SKEW_SECONDS)
    out.push(
      `Clock skew: issued ${relative(payload.iat * 1000)} (iat is in the future). The issuer's clock is ahead of this machine's.`
    )
  if (typeof payload.exp === 'number' && typeof payload.iat === 'number' && payload.exp < payload.iat)
    out.push('exp is before iat: this token was born expired.')
  return out
}

function DecodeTab() {
  const { token, explain, explanation: ex, explainError } = useJwtStore()
  const debounced = useDebounced(token, 200)
  useEffect(() => {
    void explain()
  }, [debounced, explain])
  const warnings = ex ? skewWarnings(ex.payload) : []
  return (
    <div className="two-col">
      <div>
        <TokenField label="Token (paste a JWT)" rows={10} placeholder="eyJhbGciOi…" />
        <ErrorNote error={explainError} where="jwt-explain" />
        {ex ? (
          <>
            <div className="row">
              {ex.timing.expired ? (
                <Badge kind="bad" testId={T.jwtExpiredBadge}>
                  expired
                </Badge>
              ) : ex.timing.notYetValid ? (
                <Badge kind="warn">not yet valid</Badge>
              ) : ex.timing.expired === false ? (
                <Badge kind="ok">not expired</Badge>
              ) : (
                <Badge kind="info">no expiry</Badge>
              )}
              <Badge kind="warn">signature not checked</Badge>
              <span className="muted">{ex.timing.summary}</span>
            </div>
            <p className="muted">{ex.notice}</p>
            {warnings.map((w) => (
              <div key={w} className="warning-note" data-testid={T.jwtWarning}>
                {w}
              </div>
            ))}
            <h3>Header</h3>
            <pre className="codeblock" data-testid={T.jwtHeader}>
              {JSON.stringify(ex.header, null, 2)}
            </pre>
            <h3>Payload</h3>
            <pre className="codeblock" data-testid={T.jwtPayload}>
              {JSON.stringify(ex.payload, null, 2)}
            </pre>
            <p className="muted">
              Sizes: header {ex.sizes.header} B, payload {ex.sizes.payload} B, signature {ex.sizes.signature} B, token{' '}
              {ex.sizes.token} B
            </p>
          </>
        ) : null}
      </div>
      <div>
        {ex ? (
          <>
            <h3>Claims</h3>
            <FieldsTable fields={ex.claims} testId={T.jwtClaims} caption="Claims explained" />
            <h3>Header fields</h3>
            <FieldsTable
              fields={ex.headerFields}
              testId="jwt-header-fields"
              caption="Header fields explained"
              nameHeader="Field"
            />
            {[...ex.notes.datafor.map((n) => `Datafor: ${n}`), ...ex.notes.xdua.map((n) => `xdua: ${n}`)].map((n) => (
              <p key={n} className="muted">
                {n}
              </p>
            ))}
          </>
        ) : (
          <p className="muted">
            Paste a token to see its header, claims and times explained. Nothing is verified here; use Verify for that.
          </p>
        )}
      </div>
    </div>
  )
}

function SignTab() {
  const { sign, signResult, signError } = useJwtStore()
  const toast = useUiStore((s) => s.toast)
  const { key, setKey, alg, setAlg, possible, weak } = useSigningKey()
  const [claims, setClaims] = useState('{\n  "sub": "alice"\n}')
  const [expiry, setExpiry] = useState('1h')
  const [iss, setIss] = useState('')
  const [aud, setAud] = useState('')
  const [allowWeak, setAllowWeak] = useState(false)
  const [errors, setErrors] = useState<FieldErrors>({})

  let claimsError: string | undefined
  let parsedClaims: Record<string, unknown> | undefined
  try {
    const v = claims.trim() ? (JSON.parse(claims) as unknown) : {}
    if (!v || typeof v !== 'object' || Array.isArray(v)) claimsError = 'Claims must be a JSON object'
    else parsedClaims = v as Record<string, unknown>
  } catch (e) {
    claimsError = `Not valid JSON: ${(e as Error).message}`
  }

  const submit = async () => {
    const source = keySourceOf(key)
    const draft = {
      alg,
      key: source ?? undefined,
      claims: parsedClaims,
      ...(expiry ? { expiresIn: expiry } : {}),
      ...(iss ? { iss } : {}),
      ...(aud ? { aud } : {}),
      ...(allowWeak ? { allowWeakKey: true } : {})
    }
    const v = validate(SignInput, draft)
    const errs: FieldErrors = v.ok ? {} : { ...v.errors }
    if (claimsError) errs.claims = claimsError
    if (!source) errs.key = 'Choose a key that can sign, paste a secret or pick a private key file'
    if (!alg) errs.alg = 'Choose an algorithm'
    setErrors(errs)
    if (!v.ok || Object.keys(errs).length) return
    const r = await sign(v.data)
    if (r.ok) toast('ok', 'Token signed')
  }
  return (
    <FormShell errors={errors} className="two-col" onSubmit={() => submit()}>
      <div>
        <KeyPicker id="sign" value={key} onChange={setKey} needPrivate testId={T.jwtSignKey} error={errors.key} />
        <div className="row">
          <SelectField
            name="alg"
            label="Algorithm"
            hint="only what the chosen key can do"
            value={alg}
            onChange={setAlg}
            data-testid={T.jwtSignAlg}
          >
            {possible.length === 0 ? <option value="">choose a key first</option> : null}
            {possible.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </SelectField>
          <ExpiryField value={expiry} onChange={setExpiry} data-testid={T.jwtSignExpiry} />
          <TextField name="iss" label="iss" value={iss} onChange={setIss} />
          <TextField name="aud" label="aud" value={aud} onChange={setAud} />
        </div>
        <TextAreaField
          name="claims"
          label="Claims (JSON object; iat and jti are added)"
          error={errors.claims ?? claimsError}
          value={claims}
          onChange={setClaims}
          data-testid={T.jwtSignClaims}
          rows={8}
          spellCheck={false}
        />
        {weak || signError?.code === 'JWT_WEAK_KEY' ? (
          <div className="warning-note" data-testid={T.jwtWarning}>
            {weak ?? 'The key is shorter than the algorithm needs (RFC 7518 §3.2).'}
            <label className="check">
              <input type="checkbox" checked={allowWeak} onChange={(e) => setAllowWeak(e.target.checked)} /> sign anyway
              (tests only)
            </label>
          </div>
        ) : null}
        <FormActions left label="Sign" testId={T.jwtSignSubmit} />
      </div>
      <div aria-live="polite">
        <ErrorNote error={signError} where="jwt-sign" />
        {signResult ? (
          <>
            <h3>Signed token</h3>
            <ColoredToken token={signResult.token} />
            <TokenActions token={signResult.token} label="Explain it" />
            {signResult.warnings.map((w) => (
              <div key={warningText(w)} className="warning-note" data-testid={T.jwtWarning}>
                {warningText(w)}
              </div>
            ))}
            <pre className="codeblock">
              {JSON.stringify({ header: signResult.header, payload: signResult.payload }, null, 2)}
            </pre>
          </>
        ) : null}
      </div>
    </FormShell>
  )
}

export function JwtScreen() {
  const tab = useJwtStore((s) => s.tab)
  const setTab = useJwtStore((s) => s.setTab)
  usePaletteActions(
    'jwt',
    TABS.map((t) => ({ id: `jwt-${t.id}`, group: 'JWT', label: `JWT: ${t.label}`, run: () => setTab(t.id) }))
  )
  return (
    <Screen id="jwt" title="JWT workbench">
      <div className="tabs" role="tablist" aria-label="Workbench">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`jwt-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`jwt-panel-${t.id}`}
            data-testid={T.jwtTab(t.id)}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`jwt-panel-${tab}`} aria-labelledby={`jwt-tab-${tab}`}>
        {tab === 'decode' ? (
          <DecodeTab />
        ) : tab === 'verify' ? (
          <VerifyTab />
        ) : tab === 'sign' ? (
          <SignTab />
        ) : (
          <BulkTab />
        )}
      </div>
    </Screen>
  )
}
