import { useState } from 'react'
import { Badge, CopyButton, ErrorNote, Modal } from '../../components/ui'
import { useConnectionsStore } from '../../stores/connections.store'
import { useUiStore } from '../../stores/ui.store'
import { T } from '../../testids'
import { DataTable, ssoConfigColumns } from '../../components/DataTable'
import { type Connection, type DataforConfig, DataforPutInput } from '../../../../shared/contract'
import type { AppErrorShape } from '../../../../shared/errors'
import { validate, type FieldErrors } from '../../lib/form'
import { api } from '../../api'
import { ActionButton, FormActions, FormShell } from '../../components/action'
import { EditButton, RemoteToolbar, RowButton, remoteActions, remoteRows, useRemoteList } from './RemoteToolbar'
import { RotateDialog } from '../../components/RotateDialog'
import { SelectField, TextField } from '../../components/fields'

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
    const v = validate(DataforPutInput, {
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
    <FormShell errors={errors} data-testid={T.remoteForm} onSubmit={() => submit()}>
      <div className="form-grid">
        <TextField name="name" label="Name" value={name} onChange={setName} disabled={!!item} />
        <TextField
          name="secret"
          label="Secret"
          hint={item ? 'leave empty to keep the server’s' : 'kept in the keychain too'}
          value={secret}
          onChange={setSecret}
          type="password"
          autoComplete="new-password"
        />
        <SelectField name="algorithm" label="Algorithm" value={algorithm} onChange={setAlgorithm}>
          {['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'].map((a) => (
            <option key={a}>{a}</option>
          ))}
        </SelectField>
        <TextField name="expire" label="Expire (s)" value={expire} onChange={setExpire} />
        <TextField name="fieldmap" label="Login claim" value={username} onChange={setUsername} />
      </div>
      <label className="check">
        <input type="checkbox" checked={enable} onChange={(e) => setEnable(e.target.checked)} /> enabled
      </label>
      <ErrorNote error={error} where="remote-form" />
      <FormActions label="Save on the server" testId={T.remoteSubmit} onCancel={onDone} />
    </FormShell>
  )
}

export function DataforPanel({ conn, items }: { conn: Connection; items: DataforConfig[] }) {
  const refresh = useConnectionsStore((s) => s.refreshRemote)
  const [form, setForm] = useState<{ open: boolean; item: DataforConfig | null }>({ open: false, item: null })
  const [generated, setGenerated] = useState<{ name: string; token: string } | null>(null)
  const list = useRemoteList(
    items,
    (it) => it.name,
    (it) => [it.name, it.tokenName, it.algorithm]
  )
  const [rotate, setRotate] = useState<DataforConfig | null>(null)
  const generate = async (it: DataforConfig) => {
    const r = await api.remote.dataforGenerate({ conn: conn.id, name: it.name, username: 'admin' })
    list.setError(r.ok ? null : r.error)
    if (r.ok) setGenerated({ name: it.name, token: r.value.token })
  }
  return (
    <>
      <RemoteToolbar
        list={list}
        newLabel="New configuration on the server…"
        onNew={() => setForm({ open: true, item: null })}
        bulk={{
          noun: 'configuration',
          name: (it) => it.name,
          testId: T.remoteDelete,
          remove: (it) => api.remote.dataforDelete({ conn: conn.id, name: it.name })
        }}
      >
        {generated ? (
          <div className="card">
            <strong>Server-signed test token for {generated.name} (user admin):</strong>
            <div className="token-out">{generated.token}</div>
            <CopyButton text={generated.token} />
          </div>
        ) : null}
      </RemoteToolbar>
      <DataTable
        label={`Configurations on ${conn.name}`}
        {...remoteRows(list)}
        columns={[
          { id: 'name', header: 'Name', text: (it) => it.name },
          ...ssoConfigColumns(),
          {
            id: 'secret',
            header: 'Secret',
            noEllipsis: true,
            text: (it) => (it.secretKept ? 'kept in keychain' : it.hasSecret ? 'on server' : '—'),
            cell: (it) =>
              it.secretKept ? (
                <Badge kind="ok">kept in keychain</Badge>
              ) : it.hasSecret ? (
                <Badge kind="info">on server</Badge>
              ) : (
                '—'
              )
          },
          remoteActions(270, (it: DataforConfig) => (
            <>
              <ActionButton
                className="btn small"
                onClick={() => generate(it)}
                aria-label={`Generate a test token for ${it.name}`}
              >
                Generate
              </ActionButton>{' '}
              <EditButton name={it.name} onClick={() => setForm({ open: true, item: it })} />{' '}
              <RowButton
                label="Rotate secret"
                aria={`Rotate the secret of ${it.name}`}
                testId={T.invRotate}
                onClick={() => setRotate(it)}
              />
            </>
          ))
        ]}
      />
      <RotateDialog
        target={
          rotate
            ? {
                what: `SSO config '${rotate.name}' secret`,
                name: rotate.name,
                copies: 'a new random secret of the hash size, kept in the keychain and verified with a test token',
                immediate: true
              }
            : null
        }
        rotate={(flags) =>
          api.remote.dataforRotateSecret({
            conn: conn.id,
            name: rotate!.name,
            ...(flags.resume ? { resume: true } : {})
          })
        }
        onClose={() => setRotate(null)}
        onChanged={() => void refresh()}
      />
      <Modal
        open={form.open}
        title={form.item ? `Edit ${form.item.name}` : `New configuration on ${conn.name}`}
        onClose={() => setForm({ open: false, item: null })}
        wide
      >
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
