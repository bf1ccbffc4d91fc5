import { useEffect, useState } from 'react'
import { Screen } from '../components/Screen'
import { Badge, CopyButton, Empty, ErrorNote, Field, Modal, Progress, confirmAction } from '../components/ui'
import { usePaletteActions } from '../components/Palette'
import { useConnectionsStore } from '../stores/connections.store'
import { useUiStore } from '../stores/ui.store'
import { T } from '../testids'
import { DataTable } from '../components/DataTable'
import { SelectionDelete } from '../components/SelectionDelete'
import {
  AUTH_METHODS,
  CONNECTION_KINDS,
  ConnectionDraft,
  XDUA_DEFAULT_ROUTES,
  XDUA_VERBS,
  contract,
  type Connection,
  type ConnectionKind,
  type DataforConfig,
  type FessToken,
  type PullResult,
  type XduaRoute,
  type XduaToken,
  type XduaVerb
} from '../../../shared/contract'
import type { AppErrorShape } from '../../../shared/errors'
import { serverFieldError, validate, type FieldErrors } from '../lib/form'
import { useReveal } from '../lib/reveal'
import { Reveal } from '../components/Reveal'
import { num } from '../lib/format'
import { PermissionsPreview, useExpiryGuard } from '../components/FessFields'
import { isoShort } from '../lib/time'
import { api, call } from '../api'
import { ActionButton, SubmitButton, FormShell } from '../components/action'

// ------------------------------------------------------------------------------------------------- profile form

function ConnectionForm({ record, onDone }: { record: Connection | null; onDone: () => void }) {
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
  const [routes, setRoutes] = useState<Record<string, XduaRoute>>(() => ({ ...XDUA_DEFAULT_ROUTES, ...(record?.routes ?? {}) }))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)
  const [testMsg, setTestMsg] = useState<string | null>(null)
  const methods = AUTH_METHODS[kind] as readonly string[]
  useEffect(() => {
    if (!methods.includes(authMethod)) setAuthMethod(methods[0])
  }, [kind, methods, authMethod])

  const routeOverrides = () => {
    const out: Record<string, XduaRoute> = {}
    for (const v of XDUA_VERBS) if (JSON.stringify(routes[v]) !== JSON.stringify(XDUA_DEFAULT_ROUTES[v])) out[v] = routes[v]
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
      const v = validate(contract['connections:update'].input, patch)
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
    <FormShell
      data-testid={T.connForm}
      onSubmit={() => submit()}
    >
      <div className="form-grid">
        <Field name="name" label="Name" error={errors.name}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />}
        </Field>
        <Field name="kind" label="Server kind" error={errors.kind}>
          {(p) => (
            <select {...p} value={kind} disabled={!!record} onChange={(e) => setKind(e.target.value as ConnectionKind)}>
              {CONNECTION_KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          )}
        </Field>
        <Field name="baseUrl" label="Base URL" error={errors.baseUrl} hint="https:// (plain http only to loopback unless allowed below)">
          {(p) => <input {...p} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://fess.example.com" />}
        </Field>
        <Field name="authMethod" label="Authentication" error={errors.authMethod}>
          {(p) => (
            <select {...p} value={authMethod} onChange={(e) => setAuthMethod(e.target.value)}>
              {methods.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          )}
        </Field>
        {authMethod === 'basic' || authMethod === 'session' ? (
          <Field name="username" label="User" error={errors.username}>
            {(p) => <input {...p} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />}
          </Field>
        ) : null}
        <Field
          name="credential"
          label={authMethod === 'basic' || authMethod === 'session' ? 'Password' : authMethod === 'token' ? 'Access token' : 'JWT'}
          error={errors.credential}
          hint={record?.hasCredential ? 'stored in the keychain; leave empty to keep it' : 'goes straight to the keychain'}
        >
          {(p) => <input {...p} type="password" autoComplete="new-password" value={credential} onChange={(e) => setCredential(e.target.value)} />}
        </Field>
        <Field name="timeoutMs" label="Timeout (ms)" error={errors.timeoutMs}>
          {(p) => <input {...p} inputMode="numeric" value={timeout} onChange={(e) => setTimeoutMs(e.target.value)} />}
        </Field>
        <Field name="pinSha256" label="Pinned certificate (SHA-256)" error={errors.tls}>
          {(p) => <input {...p} value={pin} onChange={(e) => setPin(e.target.value)} placeholder="optional" />}
        </Field>
        <div className="full">
          <Field name="ca" label="Extra trusted CA (PEM, optional)">
            {(p) => <textarea {...p} rows={2} value={ca} onChange={(e) => setCa(e.target.value)} />}
          </Field>
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={allowInsecure} onChange={(e) => setAllowInsecure(e.target.checked)} /> Allow plain http to a non-loopback host
        (credentials travel unencrypted)
      </label>
      {kind === 'xdua' ? (
        <details className="spaced">
          <summary>Route table (xdua verbs)</summary>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Verb</th>
                <th scope="col">Method</th>
                <th scope="col">Path</th>
              </tr>
            </thead>
            <tbody>
              {XDUA_VERBS.map((v) => (
                <tr key={v}>
                  <td className="mono">{v}</td>
                  <td>
                    <select
                      aria-label={`${v} method`}
                      value={routes[v].method}
                      onChange={(e) => setRoutes({ ...routes, [v]: { ...routes[v], method: e.target.value as XduaRoute['method'] } })}
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

// ------------------------------------------------------------------------------------------------- Fess panel

function FessForm({ conn, item, onDone }: { conn: Connection; item: FessToken | null; onDone: (created?: string) => void }) {
  const [name, setName] = useState(item?.name ?? '')
  const [permissions, setPermissions] = useState((item?.permissions ?? ['{role}admin-api']).join('\n'))
  const [parameterName, setParameterName] = useState(item?.parameterName ?? '')
  const [expires, setExpires] = useState(item?.expires ?? '')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)
  const toast = useUiStore((s) => s.toast)
  const expiry = useExpiryGuard()
  const submit = async () => {
    const half = expiry.incomplete()
    if (half) return setErrors({ expires: half })
    const perms = permissions.split('\n').map((l) => l.trim()).filter(Boolean)
    const exp = expires ? (expires.length === 16 ? `${expires}:00` : expires) : undefined
    if (item) {
      const v = validate(contract['remote:fessUpdate'].input, {
        conn: conn.id,
        id: item.id,
        name,
        permissions: perms,
        parameterName: parameterName || null,
        expires: exp ?? null,
        ...(item.updatedTime ? { expectedUpdatedTime: item.updatedTime } : {})
      })
      if (!v.ok) return setErrors(v.errors)
      setErrors({})
      const r = await api.remote.fessUpdate(v.data)
      if (!r.ok) return setError(r.error)
      toast('ok', `Fess token ${r.value.item.name} updated (${r.value.changed.join(', ') || 'no change'})`)
      return onDone()
    }
    const v = validate(contract['remote:fessCreate'].input, {
      conn: conn.id,
      name,
      permissions: perms,
      ...(parameterName ? { parameterName } : {}),
      ...(exp ? { expires: exp } : {})
    })
    if (!v.ok) return setErrors(v.errors)
    setErrors({})
    const r = await api.remote.fessCreate(v.data)
    if (!r.ok) {
      setError(r.error)
      return setErrors(serverFieldError(r.error))
    }
    toast('ok', `Fess token ${r.value.item.name} created on the server`)
    onDone(r.value.token)
  }
  return (
    <FormShell
      data-testid={T.remoteForm}
      onSubmit={() => submit()}
    >
      <Field name="name" label="Name" error={errors.name}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field name="permissions" label="Permissions (one per line)" error={errors.permissions}>
        {(p) => <textarea {...p} rows={3} value={permissions} onChange={(e) => setPermissions(e.target.value)} />}
      </Field>
      <PermissionsPreview text={permissions} />
      <div className="row">
        <Field name="parameterName" label="Parameter name" error={errors.parameterName}>
          {(p) => <input {...p} value={parameterName} onChange={(e) => setParameterName(e.target.value)} />}
        </Field>
        <Field name="expires" label="Expires (server time)" error={errors.expires}>
          {(p) => <input {...p} ref={expiry.ref} type="datetime-local" step={1} value={expires} onChange={(e) => setExpires(e.target.value)} />}
        </Field>
      </div>
      <ErrorNote error={error} where="remote-form" />
      <div className="actions">
        <button type="button" className="btn" onClick={() => onDone()}>
          Cancel
        </button>
        <SubmitButton className="btn primary" data-testid={T.remoteSubmit}>
          {item ? 'Save on the server' : 'Create on the server'}
        </SubmitButton>
      </div>
    </FormShell>
  )
}

/** A search box over a server's list: the list is already here, so it filters as the user types. */
function RemoteSearch({ value, onChange, shown, total }: { value: string; onChange: (v: string) => void; shown: number; total: number }) {
  return (
    <>
      <input type="search" className="remote-search" aria-label="Search this server's list" placeholder="Search by name or id…" value={value} onChange={(e) => onChange(e.target.value)} />
      {value ? <span className="muted">{`${num(shown)} of ${num(total)}`}</span> : null}
    </>
  )
}

function matches(q: string, ...fields: Array<string | null | undefined>): boolean {
  const needle = q.trim().toLowerCase()
  return !needle || fields.some((f) => f?.toLowerCase().includes(needle))
}

function FessPanel({ conn, items, notes }: { conn: Connection; items: FessToken[]; notes: string[] }) {
  const refresh = useConnectionsStore((s) => s.refreshRemote)
  const toast = useUiStore((s) => s.toast)
  const [form, setForm] = useState<{ open: boolean; item: FessToken | null }>({ open: false, item: null })
  const created = useReveal<string>(conn.id)
  const [q, setQ] = useState('')
  const shown = items.filter((it) => matches(q, it.name, it.id, it.permissions.join('\n')))
  const [error, setError] = useState<AppErrorShape | null>(null)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  return (
    <>
      <div className="toolbar">
        <button type="button" className="btn primary" data-testid={T.remoteNew} onClick={() => setForm({ open: true, item: null })}>
          New token on the server…
        </button>
        <RemoteSearch value={q} onChange={setQ} shown={shown.length} total={items.length} />
        {notes.map((n) => (
          <span key={n} className="warning-note">
            {n}
          </span>
        ))}
      </div>
      {created.value ? (
        <div className="card">
          <strong>New token value (shown once; copy it now):</strong>
          <div className="row">
            <span className="secret grow" data-testid="remote-created-token">
              {created.value}
            </span>
            <CopyButton text={created.value} />
          </div>
        </div>
      ) : null}
      <ErrorNote error={error} where="remote-action" />
      <SelectionDelete
        rows={shown}
        selected={selected}
        onSelectedChange={setSelected}
        rowKey={(it) => it.id}
        name={(it) => it.name}
        noun="access token"
        where="remote-action"
        testId={T.remoteDelete}
        remove={(it) => api.remote.fessDelete({ conn: conn.id, id: it.id, ...(it.updatedTime ? { expectedUpdatedTime: it.updatedTime } : {}) })}
        onDone={async (deleted, err) => {
          if (deleted.length) toast('ok', `Deleted ${deleted.map((id) => `'${items.find((i) => i.id === id)?.name ?? id}'`).join(', ')} on the server`)
          await refresh()
          // Shown once the list holds the server's current version: a retry after a CONFLICT (whose advice is to reload)
          // then sends that version, not the stale one again.
          setError(err)
        }}
      />
      <DataTable
        label={`Access tokens on ${conn.name}`}
        className="remote-table"
        rows={shown}
        rowKey={(it) => it.id}
        rowTestId={T.remoteRow}
        rowAttrs={(it) => ({ 'data-id': it.id })}
        selected={selected}
        onSelectedChange={setSelected}
        columns={[
          { id: 'name', header: 'Name', text: (it) => it.name },
          {
            id: 'token',
            header: 'Token',
            width: 240,
            noEllipsis: true,
            text: (it) => (it.tokenHint ? `…${it.tokenHint}` : '—'),
            cell: (it) => (
              <Reveal
                  compact
                  masked={it.tokenHint ? `…${it.tokenHint}` : '—'}
                  load={async () => {
                    const r = await api.remote.fessReveal({ conn: conn.id, id: it.id })
                    return r.ok ? { ok: true, value: r.value.token } : r
                  }}
                  label={it.name}
                  resetKey={`${conn.id}/${it.id}`}
                  testId="remote-token-value"
                  onError={setError}
                />
            )
          },
          { id: 'permissions', header: 'Permissions', text: (it) => it.permissions.join(', '), cell: (it) => <span className="mono">{it.permissions.join(', ')}</span> },
          { id: 'expires', header: 'Expires', text: (it) => it.expires ?? 'never' },
          { id: 'updated', header: 'Updated', text: (it) => (it.updatedTime ? isoShort(it.updatedTime) : '—'), sortValue: (it) => it.updatedTime ?? 0 },
          {
            id: 'actions',
            header: 'Actions',
            sortable: false,
            noEllipsis: true,
            width: 80,
            cell: (it) => (
              <button type="button" className="btn small" data-testid={T.remoteEdit} onClick={() => setForm({ open: true, item: it })} aria-label={`Edit ${it.name}`}>
                Edit
              </button>
            )
          }
        ]}
      />
      <Modal open={form.open} title={form.item ? `Edit ${form.item.name} on ${conn.name}` : `New token on ${conn.name}`} onClose={() => setForm({ open: false, item: null })} wide>
        <FessForm
          conn={conn}
          item={form.item}
          onDone={(token) => {
            setForm({ open: false, item: null })
            if (token) created.show(token)
            void refresh()
          }}
        />
      </Modal>
    </>
  )
}

// ------------------------------------------------------------------------------------------------- Datafor panel

function DataforForm({ conn, item, onDone }: { conn: Connection; item: DataforConfig | null; onDone: () => void }) {
  const [name, setName] = useState(item?.name ?? '')
  const [secret, setSecret] = useState('')
  const [algorithm, setAlgorithm] = useState(item?.algorithm ?? 'HS256')
  const [expire, setExpire] = useState(String(item?.expire ?? 86400))
  const [username, setUsername] = useState(item?.fieldmap.username ?? 'username')
  const [enable, setEnable] = useState(item?.enable ?? true)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)
  const toast = useUiStore((s) => s.toast)
  const submit = async () => {
    const v = validate(contract['remote:dataforPut'].input, {
      conn: conn.id,
      name,
      ...(secret ? { secret } : {}),
      algorithm,
      expire: Number(expire),
      fieldmap: { username },
      enable
    })
    if (!v.ok) return setErrors(v.errors)
    setErrors({})
    const r = await api.remote.dataforPut(v.data)
    if (!r.ok) return setError(r.error)
    setSecret('')
    toast('ok', `Datafor configuration ${r.value.item.name} ${r.value.created ? 'created' : 'updated'}`)
    onDone()
  }
  return (
    <FormShell
      data-testid={T.remoteForm}
      onSubmit={() => submit()}
    >
      <div className="form-grid">
        <Field name="name" label="Name" error={errors.name}>
          {(p) => <input {...p} value={name} disabled={!!item} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field name="secret" label="Secret" error={errors.secret} hint={item ? 'leave empty to keep the server’s' : 'kept in the keychain too'}>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={secret} onChange={(e) => setSecret(e.target.value)} />}
        </Field>
        <Field name="algorithm" label="Algorithm" error={errors.algorithm}>
          {(p) => (
            <select {...p} value={algorithm} onChange={(e) => setAlgorithm(e.target.value)}>
              {['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'].map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          )}
        </Field>
        <Field name="expire" label="Expire (s)" error={errors.expire}>
          {(p) => <input {...p} value={expire} onChange={(e) => setExpire(e.target.value)} />}
        </Field>
        <Field name="fieldmap" label="Login claim" error={errors.fieldmap}>
          {(p) => <input {...p} value={username} onChange={(e) => setUsername(e.target.value)} />}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={enable} onChange={(e) => setEnable(e.target.checked)} /> enabled
      </label>
      <ErrorNote error={error} where="remote-form" />
      <div className="actions">
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <SubmitButton className="btn primary" data-testid={T.remoteSubmit}>
          Save on the server
        </SubmitButton>
      </div>
    </FormShell>
  )
}

function DataforPanel({ conn, items }: { conn: Connection; items: DataforConfig[] }) {
  const refresh = useConnectionsStore((s) => s.refreshRemote)
  const toast = useUiStore((s) => s.toast)
  const [form, setForm] = useState<{ open: boolean; item: DataforConfig | null }>({ open: false, item: null })
  const [generated, setGenerated] = useState<{ name: string; token: string } | null>(null)
  const [error, setError] = useState<AppErrorShape | null>(null)
  const del = async (it: DataforConfig) => {
    if (!(await confirmAction({ title: `Delete ${it.name} on the server?`, body: `The configuration is deleted on ${conn.baseUrl}.`, confirmLabel: 'Delete' }))) return
    const r = await api.remote.dataforDelete({ conn: conn.id, name: it.name })
    if (r.ok) toast('ok', `Deleted ${it.name} on the server`)
    await refresh()
    // Shown once the list holds the server's current version: a retry after a CONFLICT (whose advice is to reload)
    // then sends that version, not the stale one again.
    setError(r.ok ? null : r.error)
  }
  const generate = async (it: DataforConfig) => {
    const r = await api.remote.dataforGenerate({ conn: conn.id, name: it.name, username: 'admin' })
    setError(r.ok ? null : r.error)
    if (r.ok) setGenerated({ name: it.name, token: r.value.token })
  }
  const [q, setQ] = useState('')
  const shown = items.filter((it) => matches(q, it.name, it.tokenName, it.algorithm))
  return (
    <>
      <div className="toolbar">
        <button type="button" className="btn primary" data-testid={T.remoteNew} onClick={() => setForm({ open: true, item: null })}>
          New configuration on the server…
        </button>
        <RemoteSearch value={q} onChange={setQ} shown={shown.length} total={items.length} />
      </div>
      <ErrorNote error={error} where="remote-action" />
      {generated ? (
        <div className="card">
          <strong>Server-signed test token for {generated.name} (user admin):</strong>
          <div className="token-out">{generated.token}</div>
          <CopyButton text={generated.token} />
        </div>
      ) : null}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Algorithm</th>
            <th scope="col">Login claim</th>
            <th scope="col">Expire</th>
            <th scope="col">Enabled</th>
            <th scope="col">Secret</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((it) => (
            <tr key={it.name} data-testid={T.remoteRow} data-id={it.name}>
              <td>{it.name}</td>
              <td className="mono">{it.algorithm}</td>
              <td className="mono">{it.fieldmap.username}</td>
              <td>{it.expire} s</td>
              <td>{it.enable ? 'yes' : 'no'}</td>
              <td>{it.secretKept ? <Badge kind="ok">kept in keychain</Badge> : it.hasSecret ? <Badge kind="info">on server</Badge> : '—'}</td>
              <td className="nowrap">
                <ActionButton className="btn small" onClick={() => generate(it)} aria-label={`Generate a test token for ${it.name}`}>
                  Generate
                </ActionButton>{' '}
                <button type="button" className="btn small" data-testid={T.remoteEdit} onClick={() => setForm({ open: true, item: it })} aria-label={`Edit ${it.name}`}>
                  Edit
                </button>{' '}
                <ActionButton className="btn small danger" data-testid={T.remoteDelete} onClick={() => del(it)} aria-label={`Delete ${it.name}`}>
                  Delete
                </ActionButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Modal open={form.open} title={form.item ? `Edit ${form.item.name}` : `New configuration on ${conn.name}`} onClose={() => setForm({ open: false, item: null })} wide>
        <DataforForm
          conn={conn}
          item={form.item}
          onDone={() => {
            setForm({ open: false, item: null })
            void refresh()
          }}
        />
      </Modal>
    </>
  )
}

// ------------------------------------------------------------------------------------------------- xdua panel

const XDUA_ROW_VERBS: XduaVerb[] = ['GET', 'GIT', 'SET', 'PUB', 'OFF', 'DIS', 'ENB', 'DOL', 'RCC', 'DEL']
const XDUA_CONFIRM: Partial<Record<XduaVerb, string>> = {
  DEL: 'DEL deletes the token on the server for good.',
  DOL: 'DOL moves the token to the server’s recycle bin.',
  DIS: 'DIS disables the token on the server.'
}

function XduaPanel({ conn, items, total }: { conn: Connection; items: XduaToken[]; total: number }) {
  const refresh = useConnectionsStore((s) => s.refreshRemote)
  const toast = useUiStore((s) => s.toast)
  const [last, setLast] = useState<unknown>(null)
  const [error, setError] = useState<AppErrorShape | null>(null)
  const [form, setForm] = useState<{ verb: 'ADD' | 'SET'; item: XduaToken | null } | null>(null)
  const [fields, setFields] = useState<Record<string, string>>({})
  const run = async (verb: XduaVerb, id?: string, f?: Record<string, string>) => {
    if (XDUA_CONFIRM[verb] && !(await confirmAction({ title: `${verb} ${id}?`, body: XDUA_CONFIRM[verb]!, confirmLabel: verb }))) return
    const r = await call('remote:xdua', { conn: conn.id, verb, ...(id ? { id } : {}), ...(f ? { fields: f } : {}) })
    setError(r.ok ? null : r.error)
    if (r.ok) {
      setLast(r.value.record ?? r.value.result)
      toast('ok', `${verb}${id ? ` ${id}` : ''}: ${r.value.apis ?? 'done'}`)
      if (!['GET', 'GIT'].includes(verb)) void refresh()
    }
    return r.ok
  }
  const openForm = (verb: 'ADD' | 'SET', item: XduaToken | null) => {
    setFields(
      verb === 'ADD'
        ? { typ: 'L', aud: '', sap: '*', jti: '', ipm: '*', dvm: '*', tag: 'default', api: '*', bug: '0', shop: 'default', role: '*', rule: '*' }
        : { name: item?.name ?? '', avatar: item?.avatar ?? '', brief: item?.brief ?? '' }
    )
    setForm({ verb, item })
  }
  const [q, setQ] = useState('')
  const shown = items.filter((it) => matches(q, it.name, it.id, it.brief))
  return (
    <>
      <div className="toolbar">
        <button type="button" className="btn primary" data-testid={T.remoteNew} onClick={() => openForm('ADD', null)}>
          ADD a token on the server…
        </button>
        <RemoteSearch value={q} onChange={setQ} shown={shown.length} total={items.length} />
        <span className="muted">{total} on the server (QRI)</span>
      </div>
      <ErrorNote error={error} where="remote-action" />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">id</th>
            <th scope="col">Name</th>
            <th scope="col">State</th>
            <th scope="col">Expire</th>
            <th scope="col">Creator</th>
            <th scope="col">Verbs</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((it) => (
            <tr key={it.id} data-testid={T.remoteRow} data-id={it.id}>
              <td className="mono">{it.id}</td>
              <td>{it.name ?? '—'}</td>
              <td>
                {it.state === 1 ? <Badge kind="warn">disabled</Badge> : <Badge kind="ok">enabled</Badge>} <span className="muted">{it.stato}</span>
              </td>
              <td>{it.expire ? isoShort(it.expire * 1000) : 'never'}</td>
              <td>{it.creatorName ?? it.creatorId ?? '—'}</td>
              <td className="verbs">
                {XDUA_ROW_VERBS.map((v) => (
                  <ActionButton
                    key={v}
                    className={`btn small${v === 'DEL' ? ' danger' : ''}`}
                    data-testid={T.remoteVerb(v)}
                    aria-label={`${v} ${it.id}`}
                    onClick={() => (v === 'SET' ? openForm('SET', it) : run(v, it.id))}
                  >
                    {v}
                  </ActionButton>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {last ? (
        <section className="card">
          <h3>Last answer</h3>
          <pre className="codeblock">{JSON.stringify(last, null, 2)}</pre>
        </section>
      ) : null}
      <Modal open={!!form} title={form?.verb === 'ADD' ? `ADD on ${conn.name}` : `SET ${form?.item?.id ?? ''}`} onClose={() => setForm(null)} wide>
        <FormShell
          data-testid={T.remoteForm}
          onSubmit={() => {
            const f = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ''))
            return run(form!.verb, form!.item?.id, f).then((ok) => ok && setForm(null))
          }}
        >
          <div className="form-grid">
            {Object.keys(fields).map((k) => (
              <Field key={k} name={k} label={k}>
                {(p) => <input {...p} value={fields[k]} onChange={(e) => setFields({ ...fields, [k]: e.target.value })} />}
              </Field>
            ))}
          </div>
          <ErrorNote error={error} where="remote-form" />
          <div className="actions">
            <SubmitButton className="btn primary" data-testid={T.remoteSubmit}>
              {form?.verb}
            </SubmitButton>
          </div>
        </FormShell>
      </Modal>
    </>
  )
}

// ------------------------------------------------------------------------------------------------- pull / push / diff

function SyncPanel({ conn }: { conn: Connection }) {
  const { pull, pullJob, pullError, loadDiff, diff } = useConnectionsStore()
  const toast = useUiStore((s) => s.toast)
  const [locals, setLocals] = useState<{ id: string; name: string }[]>([])
  const [localId, setLocalId] = useState('')
  const [pushError, setPushError] = useState<AppErrorShape | null>(null)
  const [pushNote, setPushNote] = useState<string | null>(null)
  const refresh = useConnectionsStore((s) => s.refreshRemote)
  useEffect(() => {
    let live = true
    const load = async () => {
      const list =
        conn.kind === 'fess'
          ? await api.accessTokens.list({ limit: 200 })
          : conn.kind === 'datafor'
            ? await api.ssoApps.list({ limit: 200 })
            : await api.tokens.list({ limit: 200, origin: 'local' })
      if (live && list.ok) setLocals(list.value.items.filter((i) => !i.origin).map((i) => ({ id: i.id, name: i.name })))
    }
    void load()
    return () => {
      live = false
    }
  }, [conn.kind, conn.id, pullJob?.state])
  const push = async () => {
    if (!localId) return setPushError({ code: 'VALIDATION', message: 'Choose a local record to push' })
    const r = await api.remote.push({ conn: conn.id, localId })
    setPushError(r.ok ? null : r.error)
    if (r.ok) {
      setPushNote(`${r.value.action} ${r.value.remoteId}${r.value.notes.length ? ` — ${r.value.notes.join('; ')}` : ''}`)
      toast('ok', `Pushed: ${r.value.action} on the server`)
      void refresh()
    }
  }
  const result = pullJob?.result as PullResult | undefined
  const localKind = conn.kind === 'fess' ? 'access token' : conn.kind === 'datafor' ? 'SSO app' : 'token'
  return (
    <section className="card" aria-labelledby="sync-h">
      <h2 id="sync-h">Pull, push and diff</h2>
      <div className="row">
        <ActionButton className="btn" data-testid={T.remotePull} onClick={() => pull()} disabled={pullJob?.state === 'running'}>
          Pull into the local store
        </ActionButton>
        {pullJob ? <Progress done={pullJob.done} total={pullJob.total} testId={T.remoteProgress} label="Pull progress" /> : null}
        {result ? (
          <span data-testid="remote-pull-result">
            Pulled {result.pulled}: {result.inserted} new, {result.updated} updated, {result.removed} removed
            {result.truncated ? ' (list cut by the server)' : ''}
          </span>
        ) : null}
      </div>
      <ErrorNote error={pullError} where="remote-pull" />
      <div className="row spaced">
        <label className="inline">
          Local {localKind}
          <select value={localId} onChange={(e) => setLocalId(e.target.value)} data-testid="remote-push-select">
            <option value="">choose…</option>
            {locals.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <ActionButton className="btn" data-testid={T.remotePush} onClick={() => push()}>
          Push to the server
        </ActionButton>
        {pushNote ? <span className="muted">{pushNote}</span> : null}
      </div>
      <ErrorNote error={pushError} where="remote-push" />
      <div className="row spaced">
        <ActionButton className="btn" onClick={() => loadDiff()}>
          Show differences
        </ActionButton>
        {diff ? (
          <span>
            same {diff.counts.same} · changed {diff.counts.changed} · only local {diff.counts.onlyLocal} · only on server {diff.counts.onlyRemote}
          </span>
        ) : null}
      </div>
      {diff && diff.items.some((i) => i.status !== 'same') ? (
        <table className="table spaced">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Fields</th>
            </tr>
          </thead>
          <tbody>
            {diff.items
              .filter((i) => i.status !== 'same')
              .slice(0, 200)
              .map((i) => (
                <tr key={`${i.localId}-${i.remoteId}`}>
                  <td>{i.name}</td>
                  <td>{i.status}</td>
                  <td className="mono">{i.fields.map((f) => `${f.field}: ${JSON.stringify(f.local)} → ${JSON.stringify(f.remote)}`).join('; ')}</td>
                </tr>
              ))}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}

// ------------------------------------------------------------------------------------------------- screen

function ConnectionView({ conn, onEdit }: { conn: Connection; onEdit: () => void }) {
  const { remote, remoteLoading, remoteError, refreshRemote, test, testResults, remove } = useConnectionsStore()
  const toast = useUiStore((s) => s.toast)
  const tr = testResults[conn.id]
  const del = async () => {
    if (!(await confirmAction({ title: `Remove connection ${conn.name}?`, body: 'The profile and its keychain credential are removed. Nothing changes on the server.', confirmLabel: 'Remove' })))
      return
    const r = await remove(conn.id)
    if (r.ok) toast('ok', `Connection ${conn.name} removed`)
  }
  return (
    <section className="conn-view" aria-label={`Connection ${conn.name}`}>
      <div className="row">
        <h2 className="grow">
          {conn.name} <span className="muted mono">{conn.baseUrl}</span>
        </h2>
        <ActionButton className="btn" data-testid={T.connTest} onClick={() => test(conn.id)}>
          Test
        </ActionButton>
        <ActionButton className="btn" data-testid={T.remoteRefresh} onClick={() => refreshRemote()}>
          Refresh
        </ActionButton>
        <button type="button" className="btn" data-testid={T.connEdit} onClick={onEdit}>
          Edit
        </button>
        <ActionButton className="btn danger" data-testid={T.connDelete} onClick={() => del()}>
          Remove
        </ActionButton>
      </div>
      <div data-testid={T.connTestResult} aria-live="polite">
        {tr?.ok ? (
          <p className="ok">
            Connected: {tr.ok.message}
            {tr.ok.serverVersion ? ` (version ${tr.ok.serverVersion})` : ''} in {tr.ok.latencyMs} ms
          </p>
        ) : null}
        <ErrorNote error={tr?.error} where="conn-test" />
      </div>
      <ErrorNote error={remoteError} where="remote" />
      {remoteLoading && !remote ? <p className="muted">Loading the server’s tokens…</p> : null}
      {remote?.kind === 'fess' ? <FessPanel conn={conn} items={remote.result.items} notes={remote.result.notes} /> : null}
      {remote?.kind === 'datafor' ? <DataforPanel conn={conn} items={remote.items} /> : null}
      {remote?.kind === 'xdua' ? <XduaPanel conn={conn} items={remote.items} total={remote.total} /> : null}
      <SyncPanel conn={conn} />
    </section>
  )
}

export function ConnectionsScreen() {
  const { items, error, selectedId, load, select } = useConnectionsStore()
  const [form, setForm] = useState<{ open: boolean; record: Connection | null }>({ open: false, record: null })
  useEffect(() => {
    void load()
  }, [load])
  usePaletteActions('connections', [
    { id: 'conn-new', group: 'Connections', label: 'Connections: add a server', run: () => setForm({ open: true, record: null }) }
  ])
  const conn = items.find((c) => c.id === selectedId) ?? null
  return (
    <Screen
      id="connections"
      title="Connections"
      actions={
        <button type="button" className="btn primary" data-testid={T.connNew} onClick={() => setForm({ open: true, record: null })}>
          Add connection…
        </button>
      }
    >
      <ErrorNote error={error} where="connections" />
      {items.length === 0 ? (
        <Empty>No server connections yet. Add a Fess, Datafor or xdua server; its credential goes straight to the keychain.</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Base URL</th>
              <th scope="col">Auth</th>
              <th scope="col">Credential</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} data-testid={T.connRow} className={c.id === selectedId ? 'selected' : ''}>
                <td>
                  <ActionButton className="linklike" data-testid={T.connOpen} onClick={() => select(c.id)}>
                    {c.name}
                  </ActionButton>
                </td>
                <td>
                  <Badge kind="info">{c.kind}</Badge>
                </td>
                <td className="mono">{c.baseUrl}</td>
                <td>
                  {c.authMethod}
                  {c.username ? ` (${c.username})` : ''}
                </td>
                <td>{c.hasCredential ? <Badge kind="ok">in keychain</Badge> : <Badge kind="warn">none</Badge>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {conn ? <ConnectionView conn={conn} onEdit={() => setForm({ open: true, record: conn })} /> : null}
      <Modal open={form.open} title={form.record ? `Edit ${form.record.name}` : 'Add a connection'} onClose={() => setForm({ open: false, record: null })} wide>
        <ConnectionForm record={form.record} onDone={() => setForm({ open: false, record: null })} />
      </Modal>
    </Screen>
  )
}
