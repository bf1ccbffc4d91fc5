import { useState } from 'react'
import { Badge, ErrorNote, Modal, confirmAction } from '../../components/ui'
import { useConnectionsStore } from '../../stores/connections.store'
import { useUiStore } from '../../stores/ui.store'
import { T } from '../../testids'
import { DataTable } from '../../components/DataTable'
import { type Connection, type XduaToken, type XduaVerb } from '../../../../shared/contract'
import { absolute, num } from '../../lib/format'
import { Time } from '../../components/Time'
import { api, call } from '../../api'
import { RotateDialog } from '../../components/RotateDialog'
import { ActionButton, SubmitButton, FormShell } from '../../components/action'
import { RemoteToolbar, RowButton, remoteRows, useRemoteList } from './RemoteToolbar'
import { TextField } from '../../components/fields'

const XDUA_ROW_VERBS: XduaVerb[] = ['GET', 'GIT', 'SET', 'PUB', 'OFF', 'DIS', 'ENB', 'DOL', 'RCC']
const XDUA_CONFIRM: Partial<Record<XduaVerb, string>> = {
  DOL: 'DOL moves the token to the server’s recycle bin.',
  DIS: 'DIS disables the token on the server.'
}

export function XduaPanel({ conn, items, total }: { conn: Connection; items: XduaToken[]; total: number }) {
  const refresh = useConnectionsStore((s) => s.refreshRemote)
  const toast = useUiStore((s) => s.toast)
  const [last, setLast] = useState<unknown>(null)
  const list = useRemoteList(
    items,
    (it) => it.id,
    (it) => [it.name, it.id, it.brief]
  )
  const [form, setForm] = useState<{ verb: 'ADD' | 'SET'; item: XduaToken | null } | null>(null)
  const [fields, setFields] = useState<Record<string, string>>({})
  const [rotate, setRotate] = useState<XduaToken | null>(null)
  const run = async (verb: XduaVerb, id?: string, f?: Record<string, string>) => {
    if (
      XDUA_CONFIRM[verb] &&
      !(await confirmAction({ title: `${verb} ${id}?`, body: XDUA_CONFIRM[verb]!, confirmLabel: verb }))
    )
      return
    const r = await call('remote:xdua', { conn: conn.id, verb, ...(id ? { id } : {}), ...(f ? { fields: f } : {}) })
    list.setError(r.ok ? null : r.error)
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
        ? {
            typ: 'L',
            aud: '',
            sap: '*',
            jti: '',
            ipm: '*',
            dvm: '*',
            tag: 'default',
            api: '*',
            bug: '0',
            shop: 'default',
            role: '*',
            rule: '*'
          }
        : { name: item?.name ?? '', avatar: item?.avatar ?? '', brief: item?.brief ?? '' }
    )
    setForm({ verb, item })
  }
  return (
    <>
      <RemoteToolbar
        list={list}
        newLabel="ADD a token on the server…"
        onNew={() => openForm('ADD', null)}
        extra={<span className="muted">{num(total)} on the server (QRI)</span>}
        bulk={{
          noun: 'token',
          name: (it) => (it.name ? `${it.name} (${it.id})` : it.id),
          testId: T.remoteVerb('DEL'),
          remove: (it) => call('remote:xdua', { conn: conn.id, verb: 'DEL', id: it.id })
        }}
      />
      <DataTable
        label={`Tokens on ${conn.name}`}
        {...remoteRows(list)}
        columns={[
          { id: 'id', header: 'id', text: (it) => it.id, cell: (it) => <span className="mono">{it.id}</span> },
          { id: 'name', header: 'Name', text: (it) => it.name ?? '—' },
          {
            id: 'state',
            header: 'State',
            text: (it) => `${it.state === 1 ? 'disabled' : 'enabled'} ${it.stato ?? ''}`,
            cell: (it) => (
              <>
                {it.state === 1 ? <Badge kind="warn">disabled</Badge> : <Badge kind="ok">enabled</Badge>}{' '}
                <span className="muted">{it.stato}</span>
              </>
            )
          },
          {
            id: 'expire',
            header: 'Expire',
            text: (it) => (it.expire ? absolute(it.expire * 1000) : 'never'),
            cell: (it) => (it.expire ? <Time value={it.expire * 1000} /> : 'never'),
            sortValue: (it) => it.expire ?? 0
          },
          { id: 'creator', header: 'Creator', text: (it) => it.creatorName ?? it.creatorId ?? '—' },
          {
            id: 'verbs',
            header: 'Verbs',
            sortable: false,
            noEllipsis: true,
            width: 380,
            cell: (it) => (
              <div className="verbs">
                <RowButton label="Rotate" aria={`Rotate ${it.id}`} testId={T.invRotate} onClick={() => setRotate(it)} />
                {XDUA_ROW_VERBS.map((v) => (
                  <ActionButton
                    key={v}
                    className="btn small"
                    data-testid={T.remoteVerb(v)}
                    aria-label={`${v} ${it.id}`}
                    onClick={() => (v === 'SET' ? openForm('SET', it) : run(v, it.id))}
                  >
                    {v}
                  </ActionButton>
                ))}
              </div>
            )
          }
        ]}
      />
      <RotateDialog
        target={
          rotate
            ? {
                what: `xdua token '${rotate.name || rotate.id}'`,
                name: rotate.name || rotate.id,
                copies: 'the same claim fields, published, with the old one taken offline on retire'
              }
            : null
        }
        rotate={(flags) => api.remote.rotate({ conn: conn.id, id: rotate!.id, ...flags })}
        onClose={() => setRotate(null)}
        onChanged={() => void refresh()}
      />
      {last ? (
        <section className="card">
          <h3>Last answer</h3>
          <pre className="codeblock">{JSON.stringify(last, null, 2)}</pre>
        </section>
      ) : null}
      <Modal
        open={!!form}
        title={form?.verb === 'ADD' ? `ADD on ${conn.name}` : `SET ${form?.item?.id ?? ''}`}
        onClose={() => setForm(null)}
        wide
      >
        <FormShell
          data-testid={T.remoteForm}
          onSubmit={() => {
            const f = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ''))
            return run(form!.verb, form!.item?.id, f).then((ok) => ok && setForm(null))
          }}
        >
          <div className="form-grid">
            {Object.keys(fields).map((k) => (
              <TextField
                key={k}
                name={k}
                label={k}
                value={fields[k]}
                onChange={(v) => setFields({ ...fields, [k]: v })}
              />
            ))}
          </div>
          <ErrorNote error={list.error} where="remote-form" />
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
