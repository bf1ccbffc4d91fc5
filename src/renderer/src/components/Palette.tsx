import { Command } from 'cmdk'
import { useEffect, useState } from 'react'
import { T } from '../testids'
import { SCREENS, useUiStore } from '../stores/ui.store'
import { useSystemStore } from '../stores/system.store'
import { Modal } from './ui'
import { JumpGroup, type JumpTarget } from './PaletteJump'
import { useTokensStore } from '../stores/tokens.store'
import { usePick } from '../stores/pick'
import { usePaletteRegistry } from './paletteActions'

export function CommandPalette() {
  const open = useUiStore((s) => s.paletteOpen)
  const { setPalette, go } = usePick(useUiStore, 'setPalette', 'go')
  const byOwner = usePaletteRegistry((s) => s.byOwner)
  const updateSettings = useSystemStore((s) => s.updateSettings)

  const run = (fn: () => void) => {
    setPalette(false)
    // Let the dialog close first so focus lands where the action puts it.
    setTimeout(fn, 0)
  }
  const screenActions = Object.values(byOwner).flat()
  const [search, setSearch] = useState('')
  useEffect(() => {
    if (!open) setSearch('')
  }, [open])
  const jump = (t: JumpTarget) =>
    run(() => {
      go(t.screen)
      // A token opens in the detail pane; the other screens open on their list.
      if (t.kind === 'Token') void useTokensStore.getState().select(t.id)
    })

  return (
    <Modal open={open} title="Command palette" onClose={() => setPalette(false)} testId={T.palette}>
      <Command label="Command palette" loop>
        <Command.Input
          autoFocus
          placeholder="Go to a screen, a record by id or name, or run an action…"
          data-testid={T.paletteInput}
          value={search}
          onValueChange={setSearch}
        />
        <Command.List>
          <Command.Empty>No match.</Command.Empty>
          <JumpGroup search={search} onJump={jump} />
          {screenActions.length ? (
            <Command.Group heading="Actions">
              {screenActions.map((a) => (
                <Command.Item key={a.id} value={`${a.group} ${a.label}`} onSelect={() => run(a.run)}>
                  {a.label}
                </Command.Item>
              ))}
            </Command.Group>
          ) : null}
          <Command.Group heading="Go to">
            {SCREENS.map((s) => (
              <Command.Item key={s.id} value={`Go to ${s.label}`} onSelect={() => run(() => go(s.id))}>
                Go to {s.label}
              </Command.Item>
            ))}
          </Command.Group>
          <Command.Group heading="Theme">
            {(['light', 'dark', 'system'] as const).map((t) => (
              <Command.Item key={t} value={`Theme ${t}`} onSelect={() => run(() => void updateSettings({ theme: t }))}>
                Theme: {t}
              </Command.Item>
            ))}
          </Command.Group>
        </Command.List>
      </Command>
    </Modal>
  )
}
