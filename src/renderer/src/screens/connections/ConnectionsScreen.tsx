import { Screen } from '../../components/Screen'
import { RecordFormModal } from '../../components/RecordDetail'
import { Badge, Empty, ErrorNote, confirmAction } from '../../components/ui'
import { useConnectionsStore } from '../../stores/connections.store'
import { useUiStore } from '../../stores/ui.store'
import { T } from '../../testids'
import { type Connection } from '../../../../shared/contract'
import { ActionButton } from '../../components/action'
import { ConnectionForm } from './ConnectionForm'
import { FessPanel } from './FessPanel'
import { DataforPanel } from './DataforPanel'
import { XduaPanel } from './XduaPanel'
import { SyncPanel } from './SyncPanel'
import { TableHead } from '../../components/TableHead'
import { useRecordForm, useSelectedRecord } from '../../lib/recordForm'

function ConnectionView({ conn, onEdit }: { conn: Connection; onEdit: () => void }) {
  const { remote, remoteLoading, remoteError, refreshRemote, test, testResults, remove } = useConnectionsStore()
  const toast = useUiStore((s) => s.toast)
  const tr = testResults[conn.id]
  const del = async () => {
    if (
      !(await confirmAction({
        title: `Remove connection ${conn.name}?`,
        body: 'The profile and its keychain credential are removed. Nothing changes on the server.',
        confirmLabel: 'Remove'
      }))
    )
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
      {remote?.kind === 'fess' ? (
        <FessPanel conn={conn} items={remote.result.items} notes={remote.result.notes} />
      ) : null}
      {remote?.kind === 'datafor' ? <DataforPanel conn={conn} items={remote.items} /> : null}
      {remote?.kind === 'xdua' ? <XduaPanel conn={conn} items={remote.items} total={remote.total} /> : null}
      <SyncPanel conn={conn} />
    </section>
  )
}

export function ConnectionsScreen() {
  const { items, error, selectedId, load, select } = useConnectionsStore()
  const { form, openNew, openEdit, closeForm } = useRecordForm<Connection>()
  const conn = useSelectedRecord({ items, selectedId, load })
  return (
    <Screen id="connections" title="Connections" onCreate={openNew}>
      <ErrorNote error={error} where="connections" />
      {items.length === 0 ? (
        <Empty>
          No server connections yet. Add a Fess, Datafor or xdua server; its credential goes straight to the keychain.
        </Empty>
      ) : (
        <table className="table">
          <TableHead columns={['Name', 'Kind', 'Base URL', 'Auth', 'Credential']} />
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
      {conn ? <ConnectionView conn={conn} onEdit={() => openEdit(conn)} /> : null}
      <RecordFormModal form={form} onClose={closeForm} newTitle="Add a connection">
        <ConnectionForm record={form.record} onDone={closeForm} />
      </RecordFormModal>
    </Screen>
  )
}
