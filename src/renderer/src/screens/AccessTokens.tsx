import { useEffect, useState } from 'react'
import { absolute } from '../lib/format'
import { Time } from '../components/Time'
import { Screen } from '../components/Screen'
import { Badge, Empty, ErrorNote, useDebounced } from '../components/ui'
import { RecordActions, RecordFormModal, RecordPane, RecordTable, type RecordKind } from '../components/RecordDetail'
import { RecordFindings } from '../components/Findings'
import { useAccessTokensStore } from '../stores/accessTokens.store'
import { useUiStore } from '../stores/ui.store'
import { T } from '../testids'
import { AccessTokenInputs, type AccessTokenRecord } from '../../../shared/contract'
import type { AppErrorShape } from '../../../shared/errors'
import { saveRecord, type FieldErrors } from '../lib/form'
import { Reveal } from '../components/Reveal'
import { FessTokenFields, PermissionTable, toFessTime, useFessTokenDraft } from '../components/FessFields'
import { api } from '../api'
import { ActionButton, FormActions, FormShell } from '../components/action'
import { withoutCliSpeak } from '../lib/errors'
import { permissionsColumn, type Column } from '../components/DataTable'
import { RenewExpiry, toLocalInput } from '../components/RenewExpiry'
import { useRecordForm, useSelectedRecord } from '../lib/recordForm'

const KIND: RecordKind = {
  noun: 'access token',
  prefix: 'access',
  removes: 'The access token and its keychain item are removed.'
}

/** The list's columns after the name. */
const COLUMNS: Column<AccessTokenRecord>[] = [
  {
    id: 'token',
    header: 'Token',
    text: (a) => a.tokenMasked ?? '—',
    cell: (a) => <span className="mono">{a.tokenMasked ?? '—'}</span>
  },
  permissionsColumn((a: AccessTokenRecord) => a.permissions),
  {
    id: 'expires',
    header: 'Expires',
    text: (a) => (a.expires ? absolute(a.expires) : 'never'),
    cell: (a) => (a.expired ? <Badge kind="bad">expired</Badge> : <Time value={a.expires} empty="never" />)
  },
  {
    id: 'updated',
    header: 'Updated',
    text: (a) => absolute(a.updated),
    cell: (a) => <Time value={a.updated} />,
    sortValue: (a) => a.updated
  }
]

function AccessTokenForm({ record, onDone }: { record: AccessTokenRecord | null; onDone: () => void }) {
  const store = useAccessTokensStore()
  const toast = useUiStore((s) => s.toast)
  const draft = useFessTokenDraft(record)
  const [regenerate, setRegenerate] = useState(false)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)
  const submit = async () => {
    const half = draft.expiry.incomplete()
    if (half) return setErrors({ expires: half })
    const fields = {
      name: draft.name,
      permissions: draft.lines(),
      parameterName: draft.parameterName || null,
      expires: toFessTime(draft.expires)
    }
    const draftIn = { ...fields, ...(regenerate ? { regenerate } : {}) }
    const saved = await saveRecord(record, draftIn, AccessTokenInputs, store, { setErrors, setError })
    if (!saved) return
    toast('ok', `Access token ${saved.name} ${record ? 'saved' : 'created'}`)
    for (const w of saved.warnings) toast('info', withoutCliSpeak(w))
    onDone()
  }
  return (
    <FormShell errors={errors} data-testid={T.accessForm} onSubmit={() => submit()}>
      <FessTokenFields
        draft={draft}
        hint="{role}name, {user}name, {group}name, (deny) prefix to deny. A plain value is read by Fess by its first letter."
      />
      {record ? (
        <label className="check">
          <input type="checkbox" checked={regenerate} onChange={(e) => setRegenerate(e.target.checked)} /> Make a new
          token value
        </label>
      ) : null}
      <ErrorNote error={error} where="access-form" />
      <FormActions label={record ? 'Save' : 'Create'} testId={T.accessSubmit} onCancel={onDone} />
    </FormShell>
  )
}

function Detail({ rec, onEdit }: { rec: AccessTokenRecord; onEdit: () => void }) {
  const { remove, history, update } = useAccessTokensStore()
  const toast = useUiStore((s) => s.toast)
  const [error, setError] = useState<AppErrorShape | null>(null)
  const badges = rec.expired ? <Badge kind="bad">expired</Badge> : <Badge kind="ok">valid</Badge>
  return (
    <RecordPane kind={KIND} rec={rec} history={history} badges={badges}>
      <h3>Token</h3>
      <Reveal
        masked={rec.tokenMasked ?? '(none in the keychain)'}
        load={async () => {
          const r = await api.accessTokens.reveal({ id: rec.id })
          return r.ok ? { ok: true, value: r.value.token } : r
        }}
        label={rec.name}
        resetKey={rec.id}
        disabled={!rec.hasToken}
        testId={T.accessSecret}
        revealTestId={T.accessReveal}
        onError={setError}
      />
      <h3>Permissions</h3>
      <PermissionTable lines={rec.permissionLines} />
      {rec.warnings.map((w) => (
        <div key={w} className="warning-note">
          {w}
        </div>
      ))}
      <dl className="kv spaced">
        <dt>id</dt>
        <dd className="mono">{rec.id}</dd>
        <dt>Parameter</dt>
        <dd className="mono">{rec.parameterName ?? '—'}</dd>
        <dt>Expires</dt>
        <dd>{rec.expires ? absolute(rec.expires) : 'never'}</dd>
        <dt>Updated</dt>
        <dd>{absolute(rec.updated)}</dd>
        <dt>Version</dt>
        <dd>{rec.version}</dd>
      </dl>
      <RecordFindings kind="access-token" id={rec.id} revision={`${rec.version}:${rec.updated}:${rec.expires}`} />
      <RecordActions kind={KIND} rec={rec} remove={remove} onEdit={onEdit} error={error} setError={setError} />
      {rec.origin ? null : (
        <RenewExpiry
          current={rec.expires ? Date.parse(rec.expires) : null}
          resetKey={rec.id}
          label="New expiry (server time)"
          where="access-renew"
          onSave={async (ms) => {
            const expires = ms === null ? null : toFessTime(toLocalInput(ms))
            const r = await update({ id: rec.id, version: rec.version, expires })
            if (!r.ok) return r.error
            toast(
              'ok',
              expires
                ? `Access token '${rec.name}' renewed until ${absolute(expires)}`
                : `Access token '${rec.name}' renewed: it never expires`
            )
            return null
          }}
        />
      )}
    </RecordPane>
  )
}

export function AccessTokensScreen() {
  const list = useAccessTokensStore()
  const { error, search, nextCursor, loadMore, setSearch } = list
  const { form, openNew, openEdit, closeForm } = useRecordForm<AccessTokenRecord>()
  const [q, setQ] = useState(search)
  const dq = useDebounced(q, 200)
  useEffect(() => {
    if (dq !== useAccessTokensStore.getState().search) setSearch(dq)
  }, [dq, setSearch])
  const rec = useSelectedRecord(list)
  return (
    <Screen id="accessTokens" title="Access tokens (Fess)" onCreate={openNew}>
      <div className="toolbar" role="search">
        <input
          type="search"
          aria-label="Search access tokens"
          placeholder="Search by name…"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <ErrorNote error={error} where="access" />
      <div className={`split${rec ? '' : ' no-detail'}`}>
        <div>
          <RecordTable label="Access tokens" list={list} rowTestId={T.accessRow} columns={COLUMNS}>
            <Empty>No access tokens. Create one; its 60-character value goes straight to the keychain.</Empty>
          </RecordTable>
          {nextCursor ? (
            <ActionButton className="btn spaced" onClick={() => loadMore()}>
              Load more
            </ActionButton>
          ) : null}
        </div>
        {rec ? <Detail rec={rec} onEdit={() => openEdit(rec)} /> : null}
      </div>
      <RecordFormModal form={form} onClose={closeForm} newTitle="New access token">
        <AccessTokenForm record={form.record} onDone={closeForm} />
      </RecordFormModal>
    </Screen>
  )
}
