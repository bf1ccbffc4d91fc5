import { useState } from 'react'
import { CopyButton, ErrorNote, Modal } from '../../components/ui'
import { useConnectionsStore } from '../../stores/connections.store'
import { useUiStore } from '../../stores/ui.store'
import { T } from '../../testids'
import { RenewExpiry, toLocalInput } from '../../components/RenewExpiry'
import { DataTable, permissionsColumn } from '../../components/DataTable'
import { type Connection, type FessToken, FessCreateInput, FessUpdateInput } from '../../../../shared/contract'
import type { AppErrorShape } from '../../../../shared/errors'
import { serverFieldError, validate, type FieldErrors } from '../../lib/form'
import { useReveal } from '../../lib/reveal'
import { Reveal } from '../../components/Reveal'
import { FessTokenFields, toFessTime, useFessTokenDraft } from '../../components/FessFields'
import { absolute } from '../../lib/format'
import { Time } from '../../components/Time'
import { api } from '../../api'
import { FormActions, FormShell } from '../../components/action'
import { EditButton, RemoteToolbar, RowButton, remoteActions, remoteRows, useRemoteList } from './RemoteToolbar'
import { RotateDialog } from '../../components/RotateDialog'

function FessForm({
  conn,
  item,
  onDone
}: {
  conn: Connection
  item: FessToken | null
  onDone: (created?: string) => void
}) {
  const draft = useFessTokenDraft(item)
  const { name, parameterName } = draft
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)
  const toast = useUiStore((s) => s.toast)
  const submit = async () => {
    const half = draft.expiry.incomplete()
    if (half) return setErrors({ expires: half })
    const perms = draft.lines()
    const exp = toFessTime(draft.expires) ?? undefined
    if (item) {
      const v = validate(FessUpdateInput, {
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
    const v = validate(FessCreateInput, {
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
    <FormShell errors={errors} data-testid={T.remoteForm} onSubmit={() => submit()}>
      <FessTokenFields draft={draft} rows={3} />
      <ErrorNote error={error} where="remote-form" />
      <FormActions
        label={item ? 'Save on the server' : 'Create on the server'}
        testId={T.remoteSubmit}
        onCancel={() => onDone()}
      />
    </FormShell>
  )
}

/** A Fess server's access tokens: search, create, edit, renew, rotate and delete them on the server. */
export function FessPanel({ conn, items, notes }: { conn: Connection; items: FessToken[]; notes: string[] }) {
  const refresh = useConnectionsStore((s) => s.refreshRemote)
  const toast = useUiStore((s) => s.toast)
  const [form, setForm] = useState<{ open: boolean; item: FessToken | null }>({ open: false, item: null })
  const created = useReveal<string>(conn.id)
  const list = useRemoteList(
    items,
    (it) => it.id,
    (it) => [it.name, it.id, it.permissions.join('\n')]
  )
  const [renew, setRenew] = useState<FessToken | null>(null)
  const [rotate, setRotate] = useState<FessToken | null>(null)
  return (
    <>
      <RemoteToolbar
        list={list}
        newLabel="New token on the server…"
        onNew={() => setForm({ open: true, item: null })}
        extra={notes.map((n) => (
          <span key={n} className="warning-note">
            {n}
          </span>
        ))}
        bulk={{
          noun: 'access token',
          name: (it) => it.name,
          testId: T.remoteDelete,
          label: (id) => items.find((i) => i.id === id)?.name ?? id,
          remove: (it) =>
            api.remote.fessDelete({
              conn: conn.id,
              id: it.id,
              ...(it.updatedTime ? { expectedUpdatedTime: it.updatedTime } : {})
            })
        }}
      >
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
      </RemoteToolbar>
      <DataTable
        label={`Access tokens on ${conn.name}`}
        className="remote-table"
        {...remoteRows(list)}
        columns={[
          { id: 'name', header: 'Name', text: (it) => it.name },
          {
            id: 'token',
            header: 'Token',
            width: 200,
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
                onError={list.setError}
              />
            )
          },
          permissionsColumn((it: FessToken) => it.permissions),
          {
            id: 'expires',
            header: 'Expires',
            text: (it) => (it.expires ? absolute(it.expires) : 'never'),
            cell: (it) => <Time value={it.expires} empty="never" />
          },
          {
            id: 'updated',
            header: 'Updated',
            text: (it) => absolute(it.updatedTime),
            cell: (it) => <Time value={it.updatedTime} />,
            sortValue: (it) => it.updatedTime ?? 0
          },
          remoteActions(220, (it: FessToken) => (
            <>
              <EditButton name={it.name} onClick={() => setForm({ open: true, item: it })} />{' '}
              <RowButton label="Renew" aria={`Renew ${it.name}`} onClick={() => setRenew(it)} />{' '}
              <RowButton label="Rotate" aria={`Rotate ${it.name}`} testId={T.invRotate} onClick={() => setRotate(it)} />
            </>
          ))
        ]}
      />
      <Modal
        open={!!renew}
        title={renew ? `Renew ${renew.name} on ${conn.name}` : 'Renew'}
        onClose={() => setRenew(null)}
      >
        {renew ? (
          <RenewExpiry
            current={renew.expires ? Date.parse(renew.expires) : null}
            resetKey={`${conn.id}/${renew.id}`}
            label="New expiry (server time)"
            where="remote-renew"
            onSave={async (ms) => {
              const expires = ms === null ? null : `${toLocalInput(ms)}:00`
              const r = await api.remote.fessUpdate({
                conn: conn.id,
                id: renew.id,
                expires,
                ...(renew.updatedTime ? { expectedUpdatedTime: renew.updatedTime } : {})
              })
              if (!r.ok) return r.error
              toast(
                'ok',
                expires
                  ? `'${renew.name}' renewed on the server until ${absolute(ms)}`
                  : `'${renew.name}' renewed on the server: it never expires`
              )
              setRenew(null)
              void refresh()
              return null
            }}
          />
        ) : null}
      </Modal>
      <RotateDialog
        target={
          rotate
            ? {
                what: `Fess token '${rotate.name}'`,
                name: rotate.name,
                copies: 'the same permissions, parameter name and expiry policy'
              }
            : null
        }
        rotate={(flags) => api.remote.rotate({ conn: conn.id, id: rotate!.id, ...flags })}
        onClose={() => setRotate(null)}
        onChanged={() => void refresh()}
      />
      <Modal
        open={form.open}
        title={form.item ? `Edit ${form.item.name} on ${conn.name}` : `New token on ${conn.name}`}
        onClose={() => setForm({ open: false, item: null })}
        wide
      >
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
