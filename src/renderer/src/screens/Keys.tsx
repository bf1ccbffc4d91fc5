import { useEffect, useState, type DragEvent } from 'react'
import { Screen } from '../components/Screen'
import { Badge, CopyButton, Empty, ErrorNote, Modal, confirmAction } from '../components/ui'
import { usePaletteActions } from '../components/paletteActions'
import { useKeysStore } from '../stores/keys.store'
import { useUiStore } from '../stores/ui.store'
import { T } from '../testids'
import { DataTable } from '../components/DataTable'
import {
  JWT_ALGORITHMS,
  KeyGenerateInput,
  KeyImportInput,
  SECRET_ENCODINGS,
  type SecretEncodingName
} from '../../../shared/contract'
import type { AppErrorShape } from '../../../shared/errors'
import { serverFieldError, validate, type FieldErrors, sendForm } from '../lib/form'
import { detectKeyText, keySourceFrom } from '../lib/keytext'
import { absolute } from '../lib/format'
import { Time } from '../components/Time'
import { ActionButton, FormActions, FormShell } from '../components/action'
import { SelectField, TextAreaField, TextField } from '../components/fields'

function GenerateForm({ onDone }: { onDone: () => void }) {
  const generate = useKeysStore((s) => s.generate)
  const toast = useUiStore((s) => s.toast)
  const [name, setName] = useState('')
  const [alg, setAlg] = useState<string>('ES256')
  const [bits, setBits] = useState('2048')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async () => {
    const draft = {
      name,
      alg,
      ...(alg.startsWith('RS') || alg.startsWith('PS') ? { modulusLength: Number(bits) } : {})
    }
    const key = await sendForm(KeyGenerateInput, draft, generate, { setErrors, setError, setBusy })
    if (!key) return
    toast('ok', `Key ${key.name} generated (${key.alg})`)
    onDone()
  }
  return (
    <FormShell errors={errors} onSubmit={() => submit()}>
      <TextField
        name="name"
        label="Name"
        hint="letters, digits, . _ - (the name other screens choose this key by)"
        value={name}
        onChange={setName}
        autoComplete="off"
      />
      <SelectField name="alg" label="Algorithm" value={alg} onChange={setAlg} options={JWT_ALGORITHMS} />
      {alg.startsWith('RS') || alg.startsWith('PS') ? (
        <SelectField name="modulusLength" label="RSA modulus" value={bits} onChange={setBits}>
          <option>2048</option>
          <option>3072</option>
          <option>4096</option>
        </SelectField>
      ) : null}
      <ErrorNote error={error} where="key-generate" />
      <FormActions label="Generate" testId={T.keyGenerateSubmit} disabled={busy} />
    </FormShell>
  )
}

function ImportForm({ onDone }: { onDone: () => void }) {
  const importKey = useKeysStore((s) => s.importKey)
  const toast = useUiStore((s) => s.toast)
  const [name, setName] = useState('')
  const [alg, setAlg] = useState('')
  const [text, setText] = useState('')
  const [kid, setKid] = useState('')
  const [encoding, setEncoding] = useState<SecretEncodingName>('utf8')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<AppErrorShape | null>(null)
  const [dragging, setDragging] = useState(false)
  const detected = detectKeyText(text)

  const onDrop = async (e: DragEvent) => {
    e.preventDefault()
    setDragging(false)
    const file = e.dataTransfer.files[0]
    if (!file) return
    if (file.size > 256 * 1024) return setErrors({ source: 'That file is too large to be a key (256 KiB at most)' })
    setText(await file.text())
    if (!name)
      setName(
        file.name
          .replace(/\.[^.]+$/, '')
          .replace(/[^A-Za-z0-9._-]/g, '-')
          .slice(0, 64)
      )
  }
  const submit = async () => {
    const errs: FieldErrors = {}
    if (!detected) errs.source = text.trim() ? 'Not a PEM, JWK or JWKS (JSON does not parse)' : 'Paste or drop a key'
    const draft = {
      name,
      ...(alg ? { alg } : {}),
      source: detected ? keySourceFrom(text, detected, { kid: kid || detected.kids[0], encoding }) : { pem: '' }
    }
    const v = validate(KeyImportInput, draft)
    if (!v.ok || Object.keys(errs).length) return setErrors({ ...(v.ok ? {} : v.errors), ...errs })
    setErrors({})
    const r = await importKey(v.data)
    if (!r.ok) {
      setError(r.error)
      setErrors(serverFieldError(r.error))
      return
    }
    setText('') // the pasted material leaves renderer state as soon as the keychain has it
    toast('ok', `Key ${r.value.name} imported (${r.value.alg})`)
    onDone()
  }
  return (
    <FormShell errors={errors} onSubmit={() => submit()}>
      <TextField name="name" label="Name" value={name} onChange={setName} autoComplete="off" />
      <TextAreaField
        name="source"
        label="Key (paste PEM, JWK, JWKS or a secret — or drop a file here)"
        hint={detected ? `Detected: ${detected.label}` : undefined}
        value={text}
        onChange={setText}
        data-testid={T.keyImportText}
        className={dragging ? 'dropping' : ''}
        rows={8}
        spellCheck={false}
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => void onDrop(e)}
        placeholder='-----BEGIN PUBLIC KEY----- … or {"kty": …}'
      />
      {detected?.kind === 'jwks' && detected.kids.length > 1 ? (
        <SelectField name="kid" label="Key of the JWKS" value={kid} onChange={setKid} options={detected.kids} />
      ) : null}
      {detected?.kind === 'secret' ? (
        <SelectField
          name="encoding"
          label="Secret encoding"
          value={encoding}
          onChange={setEncoding}
          options={SECRET_ENCODINGS}
        />
      ) : null}
      <SelectField
        name="alg"
        label="Algorithm (optional: taken from the key when left empty)"
        value={alg}
        onChange={setAlg}
      >
        <option value="">from the key</option>
        {JWT_ALGORITHMS.map((a) => (
          <option key={a}>{a}</option>
        ))}
      </SelectField>
      <ErrorNote error={error} where="key-import" />
      <FormActions label="Import" testId={T.keyImportSubmit} />
    </FormShell>
  )
}

export function KeysScreen() {
  const { items, error, selected, exported, load, select, exportKey, remove } = useKeysStore()
  const toast = useUiStore((s) => s.toast)
  const [modal, setModal] = useState<'generate' | 'import' | null>(null)
  const [actionError, setActionError] = useState<AppErrorShape | null>(null)
  useEffect(() => {
    void load()
  }, [load])
  usePaletteActions('keys', [
    { id: 'keys-generate', group: 'Keys', label: 'Keys: generate a key', run: () => setModal('generate') },
    { id: 'keys-import', group: 'Keys', label: 'Keys: import a key', run: () => setModal('import') }
  ])
  const key = items.find((k) => k.name === selected) ?? null

  const doExport = async (format: 'jwk' | 'jwks' | 'pem') => {
    const r = await exportKey(format === 'jwks' ? { format } : { name: key?.name, format })
    setActionError(r.ok ? null : r.error)
  }
  const doDelete = async () => {
    if (!key) return
    const ok = await confirmAction({
      title: `Delete key ${key.name}?`,
      body: 'The key and its keychain item are removed for good. Tokens signed with it can no longer be verified here.',
      confirmLabel: 'Delete key'
    })
    if (!ok) return
    const r = await remove(key.name)
    setActionError(r.ok ? null : r.error)
    if (r.ok) toast('ok', `Key ${key.name} deleted`)
  }
  const exportText =
    exported === null
      ? ''
      : exported.format === 'pem'
        ? exported.pem
        : JSON.stringify(exported.format === 'jwk' ? exported.jwk : exported.jwks, null, 2)

  return (
    <Screen
      id="keys"
      title="Keys"
      actions={
        <>
          <ActionButton className="btn" onClick={() => doExport('jwks')}>
            Export JWKS
          </ActionButton>
          <button type="button" className="btn" data-testid={T.keysImport} onClick={() => setModal('import')}>
            Import…
          </button>
          <button type="button" className="btn primary" data-testid={T.keysNew} onClick={() => setModal('generate')}>
            Generate…
          </button>
        </>
      }
    >
      <ErrorNote error={error} where="keys" />
      <div className={`split${key ? '' : ' no-detail'}`}>
        <div>
          {items.length === 0 ? (
            <Empty>No keys yet. Generate one, or import a PEM, JWK or JWKS.</Empty>
          ) : (
            <DataTable
              label="Keys"
              rows={items}
              rowKey={(k) => k.kid}
              rowTestId={T.keysRow}
              activeKey={items.find((k) => k.name === selected)?.kid ?? null}
              onActivate={(k) => select(k.name)}
              columns={[
                {
                  id: 'name',
                  header: 'Name',
                  text: (k) => k.name,
                  cell: (k) => (
                    <button type="button" className="linklike" onClick={() => select(k.name)}>
                      {k.name}
                    </button>
                  )
                },
                { id: 'alg', header: 'Alg', text: (k) => k.alg, cell: (k) => <span className="mono">{k.alg}</span> },
                {
                  id: 'type',
                  header: 'Type',
                  text: (k) => `${k.kty}${k.crv ? ` ${k.crv}` : ''}${k.bits ? ` ${k.bits}` : ''}`
                },
                {
                  id: 'private',
                  header: 'Can sign',
                  text: (k) => (k.hasPrivate ? 'private' : 'public only'),
                  cell: (k) =>
                    k.hasPrivate ? <Badge kind="ok">private</Badge> : <Badge kind="info">public only</Badge>,
                  noEllipsis: true
                },
                { id: 'kid', header: 'kid', text: (k) => k.kid, cell: (k) => <span className="mono">{k.kid}</span> },
                {
                  id: 'created',
                  header: 'Created',
                  text: (k) => absolute(k.created),
                  cell: (k) => <Time value={k.created} />,
                  sortValue: (k) => k.created
                }
              ]}
            />
          )}
          {exported?.format === 'jwks' ? (
            <section className="card spaced">
              <h2>JWKS</h2>
              <pre className="codeblock" data-testid={T.keyExportOutput}>
                {exportText}
              </pre>
              <CopyButton text={exportText} />
            </section>
          ) : null}
        </div>
        {key ? (
          <aside className="detail" aria-label={`Key ${key.name}`}>
            <h2>{key.name}</h2>
            <dl className="kv">
              <dt>kid</dt>
              <dd className="mono">{key.kid}</dd>
              <dt>Algorithm</dt>
              <dd>{key.alg}</dd>
              <dt>Type</dt>
              <dd>
                {key.kty} {key.crv ?? ''} {key.bits ? `${key.bits} bits` : ''}
              </dd>
              <dt>Private part</dt>
              <dd>{key.hasPrivate ? 'in the keychain (never shown)' : 'none: verify only'}</dd>
              <dt>Created</dt>
              <dd>{absolute(key.created)}</dd>
            </dl>
            <h3>Export public key</h3>
            {key.kty === 'oct' ? (
              <p className="muted">An HMAC secret has no public part; it is never exported.</p>
            ) : (
              <div className="actions left">
                <ActionButton className="btn" data-testid={T.keyExport('jwk')} onClick={() => doExport('jwk')}>
                  JWK
                </ActionButton>
                <ActionButton className="btn" data-testid={T.keyExport('pem')} onClick={() => doExport('pem')}>
                  PEM
                </ActionButton>
              </div>
            )}
            {exported && exported.format !== 'jwks' ? (
              <>
                <pre className="codeblock" data-testid={T.keyExportOutput}>
                  {exportText}
                </pre>
                <CopyButton text={exportText} />
              </>
            ) : null}
            <ErrorNote error={actionError} where="key-action" />
            <div className="actions left">
              <ActionButton className="btn danger" data-testid={T.keyDelete} onClick={() => doDelete()}>
                Delete key
              </ActionButton>
            </div>
          </aside>
        ) : null}
      </div>
      <Modal open={modal === 'generate'} title="Generate a key" onClose={() => setModal(null)}>
        <GenerateForm onDone={() => setModal(null)} />
      </Modal>
      <Modal open={modal === 'import'} title="Import a key" onClose={() => setModal(null)} wide>
        <ImportForm onDone={() => setModal(null)} />
      </Modal>
    </Screen>
  )
}
