import { useEffect, useState } from 'react'
import { CopyButton, ErrorNote, Field } from '../../components/ui'
import { FormShell, SubmitButton } from '../../components/action'
import { useSsoAppsStore } from '../../stores/ssoApps.store'
import { useConnectionsStore } from '../../stores/connections.store'
import { useJwtStore } from '../../stores/jwt.store'
import { useUiStore } from '../../stores/ui.store'
import { T } from '../../testids'
import { SsoAppMintInput, type SsoAppRecord } from '../../../../shared/contract'
import type { AppErrorShape } from '../../../../shared/errors'
import { bindField, validate, type FieldErrors } from '../../lib/form'
import { warningText } from '../../lib/warnings'
import { TextField } from '../../components/fields'

/** The field for each page choice: a report's id, or any path under the base URL; each keeps its text while hidden. */
const PAGE_FIELDS = {
  report: {
    name: 'reportId',
    label: 'Report id',
    hint: 'opens …/plugin/datafor/api/integrate/<report id>?__compact=true'
  },
  path: {
    name: 'loginPath',
    label: 'Path under the base URL',
    hint: 'the token is added as a query parameter',
    placeholder: '/plugin/datafor/api/integrate/…'
  }
} as const
type Page = keyof typeof PAGE_FIELDS
type PageText = Record<(typeof PAGE_FIELDS)[Page]['name'], string>

/** Mints a Datafor SSO test token and its login URL: the report's integrate page on a known Datafor server. */
export function MintPanel({ rec }: { rec: SsoAppRecord }) {
  const mint = useSsoAppsStore((s) => s.mint)
  const minted = useSsoAppsStore((s) => s.minted)
  const setToken = useJwtStore((s) => s.setToken)
  const setTab = useJwtStore((s) => s.setTab)
  const setVerifyKeyRef = useJwtStore((s) => s.setVerifyKeyRef)
  const go = useUiStore((s) => s.go)
  const connections = useConnectionsStore((s) => s.items)
  const loadConnections = useConnectionsStore((s) => s.load)
  const dataforUrls = [...new Set(connections.filter((c) => c.kind === 'datafor').map((c) => c.baseUrl))]
  const [username, setUsername] = useState('')
  const [displayName, setDisplayName] = useState('')
  const [email, setEmail] = useState('')
  const [baseUrl, setBaseUrl] = useState('')
  const [page, setPage] = useState<Page>('report')
  const [pageText, setPageText] = useState<PageText>({ reportId: '', loginPath: '' })
  const putPageText = (patch: Partial<PageText>) => setPageText((t) => ({ ...t, ...patch }))
  const pageField = PAGE_FIELDS[page]
  const [allowWeak, setAllowWeak] = useState(false)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)
  useEffect(() => {
    void loadConnections()
  }, [loadConnections])
  // The base URL of a Datafor server this store already knows, rather than a guess.
  const firstUrl = dataforUrls[0] ?? ''
  useEffect(() => {
    if (firstUrl) setBaseUrl((b) => b || firstUrl)
  }, [firstUrl])

  const submit = async () => {
    const v = validate(SsoAppMintInput, {
      id: rec.id,
      username,
      ...(displayName ? { displayName } : {}),
      ...(email ? { email } : {}),
      ...(baseUrl ? { baseUrl } : {}),
      ...(baseUrl && page === 'report' ? { reportId: pageText.reportId } : {}),
      ...(baseUrl && page === 'path' && pageText.loginPath ? { loginPath: pageText.loginPath } : {}),
      ...(allowWeak ? { allowWeakKey: true } : {})
    })
    if (!v.ok) return setErrors(v.errors)
    setErrors({})
    const r = await mint(v.data)
    setError(r.ok ? null : r.error)
  }
  const weakRefused = error?.code === 'JWT_WEAK_KEY'
  return (
    <section className="card spaced" aria-labelledby="mint-h" data-testid={T.ssoMint}>
      <h3 id="mint-h">Mint a test token</h3>
      <FormShell onSubmit={() => submit()}>
        <div className="row wrap">
          <TextField
            name="username"
            label={`Login name (claim "${rec.fieldmap.username}")`}
            error={errors.username}
            value={username}
            onChange={setUsername}
            data-testid={T.ssoMintUsername}
          />
          {rec.fieldmap.name ? (
            <TextField name="displayName" label="Display name" value={displayName} onChange={setDisplayName} />
          ) : null}
          {rec.fieldmap.email ? <TextField name="email" label="Email" value={email} onChange={setEmail} /> : null}
        </div>
        <Field
          name="baseUrl"
          label="Datafor base URL (for the login URL)"
          error={errors.baseUrl}
          hint={
            dataforUrls.length
              ? 'from your Datafor connections; leave empty for the token only'
              : 'e.g. https://bi.example.com/datafor; leave empty for the token only'
          }
        >
          {(p) => (
            <>
              <input
                {...p}
                list="sso-mint-bases"
                value={baseUrl}
                onChange={(e) => setBaseUrl(e.target.value)}
                placeholder="https://host:28080/datafor"
              />
              <datalist id="sso-mint-bases">
                {dataforUrls.map((u) => (
                  <option key={u} value={u} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        {baseUrl ? (
          <fieldset>
            <legend>Page to open</legend>
            <div className="row wrap">
              <label className="check">
                <input type="radio" name="sso-page" checked={page === 'report'} onChange={() => setPage('report')} /> a
                report
              </label>
              <label className="check">
                <input type="radio" name="sso-page" checked={page === 'path'} onChange={() => setPage('path')} />{' '}
                another path
              </label>
            </div>
            <TextField
              key={pageField.name}
              {...pageField}
              error={errors[pageField.name]}
              {...bindField(pageText, putPageText, pageField.name)}
            />
          </fieldset>
        ) : null}
        {weakRefused || allowWeak ? (
          <div className="warning-note">
            This app's secret is shorter than {rec.algorithm} needs: anyone could brute-force it.
            <label className="check">
              <input type="checkbox" checked={allowWeak} onChange={(e) => setAllowWeak(e.target.checked)} /> Allow the
              weak key for this test token
            </label>
          </div>
        ) : null}
        <SubmitButton className="btn primary" data-testid={T.ssoMintSubmit}>
          Mint
        </SubmitButton>
      </FormShell>
      <ErrorNote error={error} where="sso-mint" />
      {minted ? (
        <>
          <h3>Token</h3>
          <div className="token-out" data-testid={T.ssoMintToken}>
            {minted.token}
          </div>
          <div className="actions left">
            <CopyButton text={minted.token} />
            <button
              type="button"
              className="btn small"
              data-testid={T.ssoMintOpenInWorkbench}
              onClick={() => {
                setToken(minted.token)
                setVerifyKeyRef({ ssoAppId: rec.id, name: rec.name, algorithm: rec.algorithm })
                setTab('verify')
                go('jwt')
              }}
            >
              Verify in the workbench
            </button>
          </div>
          {minted.loginUrl ? (
            <>
              <h3>Login URL</h3>
              <div className="token-out" data-testid={T.ssoMintUrl}>
                {minted.loginUrl}
              </div>
              <div className="actions left">
                <CopyButton text={minted.loginUrl} label="Copy login URL" />
                <a className="btn small" href={minted.loginUrl} target="_blank" rel="noreferrer noopener">
                  Open login URL
                </a>
              </div>
            </>
          ) : null}
          {minted.warnings.map((w) => (
            <div key={warningText(w)} className="warning-note">
              {warningText(w)}
            </div>
          ))}
        </>
      ) : null}
    </section>
  )
}
