import { useEffect, useState } from 'react'
import { Badge, ErrorNote } from '../../components/ui'
import { FormActions, FormShell } from '../../components/action'
import { KeyPicker, emptyKeyChoice, keySourceOf, useAlgorithmsFor, type KeyChoice } from '../../components/KeyPicker'
import { useJwtStore } from '../../stores/jwt.store'
import { T } from '../../testids'
import { VerifyInput } from '../../../../shared/contract'
import { validate, type FieldErrors } from '../../lib/form'
import { warningCode, warningText } from '../../lib/warnings'
import { TextField } from '../../components/fields'
import { TokenField } from './TokenField'

export function VerifyTab() {
  const { token, verify, verifyResult, verifyError, explanation, verifyKeyRef, setVerifyKeyRef, verifyWithSsoApp } =
    useJwtStore()
  const [key, setKey] = useState<KeyChoice>(emptyKeyChoice)
  const [algs, setAlgs] = useState<string[]>([])
  const [tolerance, setTolerance] = useState('30s')
  const [audience, setAudience] = useState('')
  const [issuer, setIssuer] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const possible = useAlgorithmsFor(key)
  const headerAlg = typeof explanation?.header.alg === 'string' ? explanation.header.alg : ''
  useEffect(() => {
    // Default: the token's alg when the key can do it; never the token's word alone (the user sees and can change it).
    setAlgs(possible.includes(headerAlg) ? [headerAlg] : possible.slice(0, 1))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [possible.join(','), headerAlg])

  const submit = () => {
    if (verifyKeyRef) {
      if (!token.trim()) return setErrors({ token: 'Paste the token to verify' })
      setErrors({})
      return verifyWithSsoApp({
        id: verifyKeyRef.ssoAppId,
        token: token.trim(),
        ...(tolerance ? { clockTolerance: tolerance } : {})
      })
    }
    const source = keySourceOf(key)
    const draft = {
      token,
      algorithms: algs,
      key: source ?? undefined,
      ...(tolerance ? { clockTolerance: tolerance } : {}),
      ...(audience ? { audience } : {}),
      ...(issuer ? { issuer } : {})
    }
    const v = validate(VerifyInput, draft)
    if (!v.ok)
      return setErrors(
        source ? v.errors : { ...v.errors, key: 'Choose a stored key, paste a secret or pick a key file' }
      )
    setErrors({})
    return verify(v.data)
  }
  return (
    <FormShell errors={errors} className="two-col" onSubmit={() => submit()}>
      <div>
        <TokenField label="Token" rows={8} />
        {verifyKeyRef ? (
          <fieldset data-testid={T.jwtVerifyKey}>
            <legend>Key</legend>
            <p>
              The key of SSO app <strong>{verifyKeyRef.name}</strong> ({verifyKeyRef.algorithm}), as Datafor checks it.
              It stays in the keychain.
            </p>
            <button type="button" className="btn small" onClick={() => setVerifyKeyRef(null)}>
              Use another key
            </button>
          </fieldset>
        ) : (
          <KeyPicker id="verify" value={key} onChange={setKey} testId={T.jwtVerifyKey} error={errors.key} />
        )}
        {verifyKeyRef ? null : (
          <fieldset>
            <legend>Allowed algorithms</legend>
            <div className="row">
              {possible.length === 0 ? <span className="muted">choose a key first</span> : null}
              {possible.map((a) => (
                <label key={a} className="check">
                  <input
                    type="checkbox"
                    checked={algs.includes(a)}
                    onChange={(e) => setAlgs(e.target.checked ? [...algs, a] : algs.filter((x) => x !== a))}
                  />
                  {a}
                </label>
              ))}
            </div>
            {errors.algorithms ? <div className="field-error">{errors.algorithms}</div> : null}
          </fieldset>
        )}
        <div className="row">
          <TextField name="clockTolerance" label="Clock tolerance" value={tolerance} onChange={setTolerance} size={8} />
          <TextField name="audience" label="Expected aud" value={audience} onChange={setAudience} />
          <TextField name="issuer" label="Expected iss" value={issuer} onChange={setIssuer} />
        </div>
        <FormActions left label="Verify" testId={T.jwtVerifySubmit} />
      </div>
      <div data-testid={T.jwtVerifyResult} aria-live="polite">
        {verifyResult ? (
          <>
            <p>
              <Badge kind="ok">signature valid</Badge>{' '}
              <span className="muted">alg {String(verifyResult.header.alg)}</span>
            </p>
            {verifyResult.warnings.map((w) => (
              <div key={warningText(w)} className="warning-note" role="status" data-testid={T.jwtWarning}>
                {warningCode(w) === 'JWT_WEAK_KEY' ? <strong>Weak key. </strong> : null}
                {warningText(w)}
              </div>
            ))}
            <pre className="codeblock">{JSON.stringify(verifyResult.payload, null, 2)}</pre>
          </>
        ) : null}
        <ErrorNote error={verifyError} where="jwt-verify" />
      </div>
    </FormShell>
  )
}
