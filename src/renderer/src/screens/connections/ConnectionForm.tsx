import { useEffect, useState } from 'react'
import { ErrorNote } from '../../components/ui'
import { useConnectionsStore } from '../../stores/connections.store'
import { useUiStore } from '../../stores/ui.store'
import { T } from '../../testids'
import {
  AUTH_METHODS,
  CONNECTION_KINDS,
  ConnectionDraft,
  XDUA_DEFAULT_ROUTES,
  XDUA_VERBS,
  type Connection,
  type ConnectionKind,
  type XduaRoute,
  ConnectionUpdateInput
} from '../../../../shared/contract'
import type { AppErrorShape } from '../../../../shared/errors'
import { serverFieldError, validate, type FieldErrors } from '../../lib/form'
import { api } from '../../api'
import { ActionButton, SubmitButton, FormShell } from '../../components/action'
import { TableHead } from '../../components/TableHead'
import { SelectField, TextAreaField, TextField } from '../../components/fields'

export function ConnectionForm({ record, onDone }: { record: Connection | null; onDone: () => void }) {
  const { add, update } = useConnectionsStore()
  const toast = useUiStore((s) => s.toast)
  const [kind, setKind] = useState<ConnectionKind>(record?.kind ?? 'fess')
  const [name, setName] = useState(record?.name ?? '')
  const [baseUrl, setBaseUrl] = useState(record?.baseUrl ?? '')
  const [authMethod, setAuthMethod] = useState<string>(record?.authMethod ?? 'token')
  const [username, setUsername] = useState(record?.username ?? '')
  const [credential, setCredential] = useState('')
  const [timeout, setTimeoutMs] = useState(String(record?.timeoutMs ?? 15000))
  const [ca, setCa] = useState(record?.tls?.ca ?? '')
  const [pin, setPin] = useState(record?.tls?.pinSha256 ?? '')
  const [allowInsecure, setAllowInsecure] = useState(record?.allowInsecure ?? false)
  const [routes, setRoutes] = useState<Record<string, XduaRoute>>(() => ({
    ...XDUA_DEFAULT_ROUTES,
    ...(record?.routes ?? {})
  }))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)
  const [testMsg, setTestMsg] = useState<string | null>(null)
  const methods = AUTH_METHODS[kind] as readonly string[]
  useEffect(() => {
    if (!methods.includes(authMethod)) setAuthMethod(methods[0])
  }, [kind, methods, authMethod])

  const routeOverrides = () => {
    const out: Record<string, XduaRoute> = {}
    for (const v of XDUA_VERBS)
      if (JSON.stringify(routes[v]) !== JSON.stringify(XDUA_DEFAULT_ROUTES[v])) out[v] = routes[v]
    return out
  }
  const draft = () => ({
    name,
    kind,
    baseUrl,
    authMethod,
    ...(username ? { username } : {}),
    ...(credential ? { credential } : {}),
    ...(kind === 'xdua' && Object.keys(routeOverrides()).length ? { routes: routeOverrides() } : {}),
    timeoutMs: Number(timeout),
    ...(ca || pin ? { tls: { ...(ca ? { ca } : {}), ...(pin ? { pinSha256: pin } : {}) } } : {}),
    allowInsecure
  })
  const testDraft = async () => {
    const v = validate(ConnectionDraft, draft())
    if (!v.ok) return setErrors(v.errors)
    setErrors({})
    setTestMsg('Testing…')
    const r = await api.connections.test({ draft: v.data })
    setTestMsg(null)
    setError(r.ok ? null : r.error)
    if (r.ok) setTestMsg(`OK: ${r.value.message} (${r.value.latencyMs} ms)`)
  }
  const submit = async () => {
    setError(null)
    let r
    if (record) {
      const patch = {
        id: record.id,
        version: record.version,
        name,
        baseUrl,
        authMethod,
        username: username || null,
        ...(credential ? { credential } : {}),
        ...(kind === 'xdua' ? { routes: routeOverrides() } : {}),
        timeoutMs: Number(timeout),
        tls: ca || pin ? { ...(ca ? { ca } : {}), ...(pin ? { pinSha256: pin } : {}) } : null,
        allowInsecure
      }
      const v = validate(ConnectionUpdateInput, patch)
      if (!v.ok) return setErrors(v.errors)
      setErrors({})
      r = await update(v.data)
    } else {
      const v = validate(ConnectionDraft, draft())
      if (!v.ok) return setErrors(v.errors)
      setErrors({})
      r = await add(v.data)
    }
    if (!r.ok) {
      setError(r.error)
      return setErrors(serverFieldError(r.error))
    }
    setCredential('')
    toast('ok', `Connection ${r.value.name} saved${r.value.hasCredential ? ' (credential in the keychain)' : ''}`)
    onDone()
  }
  return (
    <FormShell errors={errors} data-testid={T.connForm} onSubmit={() => submit()}>
      <div className="form-grid">
        <TextField name="name" label="Name" value={name} onChange={setName} autoComplete="off" />
        <SelectField
          name="kind"
          label="Server kind"
          value={kind}
          onChange={setKind}
          disabled={!!record}
          options={CONNECTION_KINDS}
        />
        <TextField
          name="baseUrl"
          label="Base URL"
          hint="https:// (plain http only to loopback unless allowed below)"
          value={baseUrl}
          onChange={setBaseUrl}
          placeholder="https://fess.example.com"
        />
        <SelectField
          name="authMethod"
          label="Authentication"
          value={authMethod}
          onChange={setAuthMethod}
          options={methods}
        />
        {authMethod === 'basic' || authMethod === 'session' ? (
          <TextField name="username" label="User" value={username} onChange={setUsername} autoComplete="off" />
        ) : null}
        <TextField
          name="credential"
          label={
            authMethod === 'basic' || authMethod === 'session'
              ? 'Password'
              : authMethod === 'token'
                ? 'Access token'
                : 'JWT'
          }
          hint={
            record?.hasCredential ? 'stored in the keychain; leave empty to keep it' : 'goes straight to the keychain'
          }
          value={credential}
          onChange={setCredential}
          type="password"
          autoComplete="new-password"
        />
        <TextField name="timeoutMs" label="Timeout (ms)" value={timeout} onChange={setTimeoutMs} inputMode="numeric" />
        <TextField
          name="pinSha256"
          label="Pinned certificate (SHA-256)"
          error={errors.tls}
          value={pin}
          onChange={setPin}
          placeholder="optional"
        />
        <div className="full">
          <TextAreaField name="ca" label="Extra trusted CA (PEM, optional)" value={ca} onChange={setCa} rows={2} />
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={allowInsecure} onChange={(e) => setAllowInsecure(e.target.checked)} /> Allow
        plain http to a non-loopback host (credentials travel unencrypted)
      </label>
      {kind === 'xdua' ? (
        <details className="spaced">
          <summary>Route table (xdua verbs)</summary>
          <table className="table">
            <TableHead columns={['Verb', 'Method', 'Path']} />
            <tbody>
              {XDUA_VERBS.map((v) => (
                <tr key={v}>
                  <td className="mono">{v}</td>
                  <td>
                    <select
                      aria-label={`${v} method`}
                      value={routes[v].method}
                      onChange={(e) =>
                        setRoutes({ ...routes, [v]: { ...routes[v], method: e.target.value as XduaRoute['method'] } })
                      }
                    >
                      {['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].map((m) => (
                        <option key={m}>{m}</option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      aria-label={`${v} path`}
                      className="mono"
                      value={routes[v].path}
                      onChange={(e) => setRoutes({ ...routes, [v]: { ...routes[v], path: e.target.value } })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {errors.routes ? <div className="field-error">{errors.routes}</div> : null}
        </details>
      ) : null}
      <ErrorNote error={error} where="conn-form" />
      {testMsg ? <p className="ok">{testMsg}</p> : null}
      <div className="actions">
        {!record ? (
          <ActionButton className="btn" onClick={() => testDraft()}>
            Test
          </ActionButton>
        ) : null}
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <SubmitButton className="btn primary" data-testid={T.connSubmit}>
          Save
        </SubmitButton>
      </div>
    </FormShell>
  )
}
