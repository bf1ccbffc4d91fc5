import { useEffect, useMemo, useState } from 'react'
import { Screen } from '../components/Screen'
import { Badge, Empty, ErrorNote } from '../components/ui'
import { RecordActions, RecordFormModal, RecordPane, RecordTable, type RecordKind } from '../components/RecordDetail'
import { RecordFindings } from '../components/Findings'
import { useSsoAppsStore } from '../stores/ssoApps.store'
import { useKeysStore } from '../stores/keys.store'
import { useUiStore } from '../stores/ui.store'
import { SigningKeyOptions } from '../components/KeyPicker'
import { T } from '../testids'
import { SSO_ALGORITHMS, SsoAppInputs, type SsoAppRecord, type SsoAppSaved } from '../../../shared/contract'
import type { AppErrorShape } from '../../../shared/errors'
import { saveRecord, type FieldErrors, bindField } from '../lib/form'
import { withoutCliSpeak } from '../lib/errors'
import { ssoConfigColumns } from '../components/DataTable'
import { RenewExpiry, type Preset } from '../components/RenewExpiry'
import { num } from '../lib/format'
import { Reveal } from '../components/Reveal'
import { api } from '../api'
import { MintPanel } from './ssoApps/MintPanel'
import { FormActions, FormShell } from '../components/action'
import { SelectField, TextField } from '../components/fields'
import { useRecordForm, useSelectedRecord } from '../lib/recordForm'

const HOUR = 3600_000
const LIFETIME_PRESETS: Preset[] = [
  { label: '+1 hour', ms: HOUR },
  { label: '+1 day', ms: 24 * HOUR },
  { label: '+7 days', ms: 7 * 24 * HOUR },
  { label: '+30 days', ms: 30 * 24 * HOUR }
]
const SSO_COLUMNS = ssoConfigColumns<SsoAppRecord>()
const KIND: RecordKind = { noun: 'SSO app', prefix: 'sso', removes: 'The app and its keychain items are removed.' }

type SaveWarnings = { id: string; warnings: SsoAppSaved['warnings'] } | null

function SsoAppForm({ record, onDone }: { record: SsoAppRecord | null; onDone: (saved?: SaveWarnings) => void }) {
  const store = useSsoAppsStore()
  const keys = useKeysStore((s) => s.items)
  const loadKeys = useKeysStore((s) => s.load)
  const toast = useUiStore((s) => s.toast)
  const [v, setV] = useState({
    name: record?.name ?? '',
    secret: '',
    tokenName: record?.tokenName ?? 'token',
    expire: String(record?.expire ?? 86400),
    username: record?.fieldmap.username ?? 'username',
    fmName: record?.fieldmap.name ?? '',
    fmEmail: record?.fieldmap.email ?? '',
    algorithm: record?.algorithm ?? 'HS256',
    enable: record?.enable ?? true,
    inituser: record?.inituser ?? true,
    initroles: (record?.initroles ?? ['SYS_Reader']).join(', '),
    selfService: record?.selfService ?? false,
    signKey: record?.signKey ?? ''
  })
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)
  useEffect(() => {
    void loadKeys()
  }, [loadKeys])
  const put = (patch: Partial<typeof v>) => setV({ ...v, ...patch })
  const asymmetric = !v.algorithm.startsWith('HS')

  const submit = async () => {
    const fields = {
      name: v.name,
      tokenName: v.tokenName,
      expire: Number(v.expire),
      fieldmap: {
        username: v.username,
        ...(v.fmName ? { name: v.fmName } : {}),
        ...(v.fmEmail ? { email: v.fmEmail } : {})
      },
      algorithm: v.algorithm,
      enable: v.enable,
      inituser: v.inituser,
      initroles: v.initroles
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      selfService: v.selfService,
      ...(asymmetric ? { signKey: v.signKey || null } : {})
    }
    // An edit keeps the stored secret unless a new one is typed; a new app needs one.
    const draft = { ...fields, ...(v.secret || !record ? { secret: v.secret } : {}) }
    const saved = await saveRecord(record, draft, SsoAppInputs, store, { setErrors, setError })
    if (!saved) return
    setV({ ...v, secret: '' })
    const { warnings } = saved
    toast(
      warnings.length ? 'info' : 'ok',
      `SSO app ${saved.name} ${record ? 'saved' : 'created'}${warnings.length ? ', with a weak secret' : ''}`
    )
    onDone({ id: saved.id, warnings })
  }
  return (
    <FormShell errors={errors} data-testid={T.ssoForm} onSubmit={() => submit()}>
      <div className="form-grid">
        <TextField
          name="name"
          label="Name"
          hint="letters and digits only (Datafor)"
          {...bindField(v, put, 'name')}
          autoComplete="off"
        />
        <TextField
          name="secret"
          label={asymmetric ? 'Public key (Base64, what Datafor checks with)' : 'Secret'}
          hint={record ? 'leave empty to keep the stored one' : 'goes to the keychain'}
          {...bindField(v, put, 'secret')}
          type="password"
          autoComplete="new-password"
        />
        <SelectField name="algorithm" label="Algorithm" {...bindField(v, put, 'algorithm')} options={SSO_ALGORITHMS} />
        {asymmetric ? (
          <SelectField name="signKey" label="Signing key (for test tokens)" {...bindField(v, put, 'signKey')}>
            <SigningKeyOptions keys={keys} />
          </SelectField>
        ) : null}
        <TextField name="tokenName" label="Token parameter" {...bindField(v, put, 'tokenName')} />
        <TextField name="expire" label="Expire (seconds)" {...bindField(v, put, 'expire')} inputMode="numeric" />
        <TextField name="fieldmap" label="Claim for the login name" {...bindField(v, put, 'username')} />
        <TextField name="fmName" label="Claim for the display name" {...bindField(v, put, 'fmName')} />
        <TextField name="fmEmail" label="Claim for the email" {...bindField(v, put, 'fmEmail')} />
        <TextField name="initroles" label="Roles of new users (comma-separated)" {...bindField(v, put, 'initroles')} />
      </div>
      <div className="row">
        <label className="check">
          <input type="checkbox" checked={v.enable} onChange={(e) => put({ enable: e.target.checked })} /> enabled
        </label>
        <label className="check">
          <input type="checkbox" checked={v.inituser} onChange={(e) => put({ inituser: e.target.checked })} /> create
          users at first login
        </label>
        <label className="check">
          <input type="checkbox" checked={v.selfService} onChange={(e) => put({ selfService: e.target.checked })} />{' '}
          self service
        </label>
      </div>
      <ErrorNote error={error} where="sso-form" />
      <FormActions label={record ? 'Save' : 'Create'} testId={T.ssoSubmit} onCancel={() => onDone()} />
    </FormShell>
  )
}

function Detail({ rec, onEdit, saved }: { rec: SsoAppRecord; onEdit: () => void; saved: SaveWarnings }) {
  const { remove, history, update } = useSsoAppsStore()
  const toast = useUiStore((s) => s.toast)
  // The lifetime shown as the time a token minted now would expire; fixed per lifetime so the form does not reset.
  const lifetimeEnd = useMemo(() => Date.now() + rec.expire * 1000, [rec.expire])
  const [error, setError] = useState<AppErrorShape | null>(null)
  const badges = (
    <>
      {rec.enable ? <Badge kind="ok">enabled</Badge> : <Badge kind="warn">disabled</Badge>}
      <Badge kind="info">{rec.algorithm}</Badge>
    </>
  )
  return (
    <RecordPane kind={KIND} rec={rec} history={history} badges={badges}>
      <dl className="kv spaced">
        <dt>Token parameter</dt>
        <dd className="mono">{rec.tokenName}</dd>
        <dt>Expire</dt>
        <dd>{num(rec.expire)} s</dd>
        <dt>Fieldmap</dt>
        <dd className="mono">
          username→{rec.fieldmap.username}
          {rec.fieldmap.name ? `, name→${rec.fieldmap.name}` : ''}
          {rec.fieldmap.email ? `, email→${rec.fieldmap.email}` : ''}
        </dd>
        <dt>Roles</dt>
        <dd>{rec.initroles.join(', ') || '—'}</dd>
        <dt>Secret</dt>
        <dd>
          <Reveal
            masked={rec.hasSecret ? '•••••••• in the keychain' : '(none)'}
            load={async () => {
              const r = await api.ssoApps.reveal({ id: rec.id })
              return r.ok ? { ok: true, value: r.value.secret ?? '(none)' } : r
            }}
            label={`${rec.name} secret`}
            resetKey={rec.id}
            disabled={!rec.hasSecret}
            testId="sso-secret"
            onError={setError}
          />
        </dd>
      </dl>
      {saved?.id === rec.id
        ? saved.warnings.map((w) => (
            <div key={w.message} className="warning-note" role="status" data-testid="sso-save-warning">
              {withoutCliSpeak(w.message)}
            </div>
          ))
        : null}
      <RecordFindings kind="sso-app" id={rec.id} revision={`${rec.version}:${rec.updated}`} />
      <RecordActions kind={KIND} rec={rec} remove={remove} onEdit={onEdit} error={error} setError={setError} />
      {rec.origin ? null : (
        <RenewExpiry
          current={lifetimeEnd}
          resetKey={`${rec.id}:${rec.version}`}
          label="Tokens minted now expire at (local time)"
          presets={LIFETIME_PRESETS}
          allowNever={false}
          where="sso-renew"
          onSave={async (ms) => {
            // Whole minutes: the picker has no seconds, so "+7 days" saves exactly 7 days.
            const expire = Math.max(60, Math.round(((ms ?? 0) - Date.now()) / 60_000) * 60)
            const r = await update({ id: rec.id, version: rec.version, expire })
            if (!r.ok) return r.error
            toast('ok', `SSO app '${rec.name}' renewed: tokens it mints live ${num(expire)} s`)
            return null
          }}
        />
      )}
      <MintPanel rec={rec} />
    </RecordPane>
  )
}

export function SsoAppsScreen() {
  const list = useSsoAppsStore()
  const { form, openNew, openEdit, closeForm } = useRecordForm<SsoAppRecord>()
  const [saved, setSaved] = useState<SaveWarnings>(null)
  const rec = useSelectedRecord(list)
  return (
    <Screen id="ssoApps" title="SSO apps (Datafor)" onCreate={openNew}>
      <ErrorNote error={list.error} where="sso" />
      <div className={`split wide-detail${rec ? '' : ' no-detail'}`}>
        <div>
          <RecordTable label="SSO apps" list={list} rowTestId={T.ssoRow} columns={SSO_COLUMNS}>
            <Empty>No SSO apps. Create one to mint Datafor test tokens offline.</Empty>
          </RecordTable>
        </div>
        {rec ? <Detail rec={rec} saved={saved} onEdit={() => openEdit(rec)} /> : null}
      </div>
      <RecordFormModal form={form} onClose={closeForm} newTitle="New SSO app">
        <SsoAppForm
          record={form.record}
          onDone={(result) => {
            if (result) setSaved(result)
            closeForm()
          }}
        />
      </RecordFormModal>
    </Screen>
  )
}
