import { useState } from 'react'
import { CopyButton, ErrorNote, Modal } from '../../components/ui'
import { useConnectionsStore } from '../../stores/connections.store'
import { useUiStore } from '../../stores/ui.store'
import { T } from '../../testids'
import { RenewExpiry, toLocalInput } from '../../components/RenewExpiry'
import { DataTable } from '../../components/DataTable'
import { SelectionDelete } from '../../components/SelectionDelete'
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
import { RemoteSearch, afterServerDelete, matches, remoteRows, remoteSelection } from './common'
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
    <FormShell data-testid={T.remoteForm} onSubmit={() => submit()}>
      <FessTokenFields draft={draft} errors={errors} rows={3} />
      <ErrorNote error={error} where="remote-form" />
      <FormActions
        label={item ? 'Save on the server' : 'Create on the server'}
        testId={T.remoteSubmit}
        onCancel={() => onDone()}
      />
    </FormShell>
  )
}

/** A search box over a server's list: the list is already here, so it filters as the user types. */
export function FessPanel({ conn, items, notes }: { conn: Connection; items: FessToken[]; notes: string[] }) {
  const refresh = useConnectionsStore((s) => s.refreshRemote)
  const toast = useUiStore((s) => s.toast)
  const [form, setForm] = useState<{ open: boolean; item: FessToken | null }>({ open: false, item: null })
  const created = useReveal<string>(conn.id)
  const [q, setQ] = useState('')
  const shown = items.filter((it) => matches(q, it.name, it.id, it.permissions.join('\n')))
  const [error, setError] = useState<AppErrorShape | null>(null)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [renew, setRenew] = useState<FessToken | null>(null)
  const [rotate, setRotate] = useState<FessToken | null>(null)
  return (
    <>
      <div className="toolbar">
        <button
          type="button"
          className="btn primary"
          data-testid={T.remoteNew}
          onClick={() => setForm({ open: true, item: null })}
        >
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
        {...remoteSelection(shown, (it) => it.id, selected, setSelected)}
        name={(it) => it.name}
        noun="access token"
        where="remote-action"
        testId={T.remoteDelete}
        remove={(it) =>
          api.remote.fessDelete({
            conn: conn.id,
            id: it.id,
            ...(it.updatedTime ? { expectedUpdatedTime: it.updatedTime } : {})
          })
        }
        onDone={afterServerDelete(toast, refresh, setError, (id) => items.find((i) => i.id === id)?.name ?? id)}
      />
      <DataTable
        label={`Access tokens on ${conn.name}`}
        className="remote-table"
        {...remoteRows(shown, (it) => it.id, selected, setSelected)}
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
                onError={setError}
              />
            )
          },
          {
            id: 'permissions',
            header: 'Permissions',
            text: (it) => it.permissions.join(', '),
            cell: (it) => <span className="mono">{it.permissions.join(', ')}</span>
          },
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
          {
            id: 'actions',
            header: 'Actions',
            sortable: false,
            noEllipsis: true,
            width: 220,
            cell: (it) => (
              <span className="nowrap">
                <button
                  type="button"
                  className="btn small"
                  data-testid={T.remoteEdit}
                  onClick={() => setForm({ open: true, item: it })}
                  aria-label={`Edit ${it.name}`}
                >
                  Edit
                </button>{' '}
                <button
                  type="button"
                  className="btn small"
                  onClick={() => setRenew(it)}
                  aria-label={`Renew ${it.name}`}
                >
                  Renew
                </button>{' '}
                <button
                  type="button"
                  className="btn small"
                  data-testid={T.invRotate}
                  onClick={() => setRotate(it)}
                  aria-label={`Rotate ${it.name}`}
                >
                  Rotate
                </button>
              </span>
            )
          }
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
