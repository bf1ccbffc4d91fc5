import { Suspense, useEffect } from 'react'
import { T } from './testids'
import { SCREENS, isScreen, useUiStore, type ScreenId } from './stores/ui.store'
import { useSystemStore } from './stores/system.store'
import { StatusBar, KeychainBanner, StoreBanner } from './components/StatusBar'
import { PaletteHost } from './components/PaletteHost'
import { ConfirmHost, Toasts } from './components/ui'
import { SidebarExtras } from './screens/SidebarExtras'
import { screenComponents } from './screens'
import { ScreenSkeleton } from './components/ScreenSkeleton'
import { useShellEvents } from './shellEvents'
import { WatchBanner } from './components/WatchBanner'
import { usePick } from './stores/pick'

function useTheme() {
  const theme = useSystemStore((s) => s.settings?.theme ?? 'system')
  useEffect(() => {
    const mq = window.matchMedia('(prefers-color-scheme: dark)')
    const apply = () => {
      const dark = theme === 'dark' || (theme === 'system' && mq.matches)
      document.documentElement.dataset.theme = dark ? 'dark' : 'light'
    }
    apply()
    mq.addEventListener('change', apply)
    return () => mq.removeEventListener('change', apply)
  }, [theme])
}

function NavLink({ id, label }: { id: ScreenId; label: string }) {
  const { screen, go } = usePick(useUiStore, 'screen', 'go')
  return (
    <a
      href={`#/${id}`}
      className={`nav-link${screen === id ? ' active' : ''}`}
      aria-current={screen === id ? 'page' : undefined}
      data-testid={T.nav(id)}
      onClick={(e) => {
        e.preventDefault()
        go(id)
      }}
    >
      {label}
    </a>
  )
}

export function App() {
  const { screen, go, setPalette } = usePick(useUiStore, 'screen', 'go', 'setPalette')
  const { loadStatus, loadSettings } = usePick(useSystemStore, 'loadStatus', 'loadSettings')
  useTheme()
  useShellEvents()

  useEffect(() => {
    void loadStatus()
    void loadSettings()
    // The keychain can come and go (unlocked later); refresh the status bar now and then.
    const t = setInterval(() => void loadStatus(), 30_000)
    const onHash = () => {
      const h = location.hash.replace(/^#\/?/, '')
      if (isScreen(h)) go(h)
    }
    window.addEventListener('hashchange', onHash)
    return () => {
      clearInterval(t)
      window.removeEventListener('hashchange', onHash)
    }
  }, [loadStatus, loadSettings, go])

  const Current = screenComponents[screen]
  return (
    <div className="shell" data-testid={T.shell}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Screens">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ◆
          </span>{' '}
          TokenDesk
        </div>
        {SCREENS.map((s) => (
          <NavLink key={s.id} id={s.id} label={s.label} />
        ))}
        <SidebarExtras />
        <button type="button" className="btn ghost palette-hint" onClick={() => setPalette(true)}>
          Commands <kbd>Ctrl</kbd>+<kbd>K</kbd>
        </button>
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        <KeychainBanner />
        <StoreBanner />
        <WatchBanner />
        <Suspense fallback={<ScreenSkeleton id={screen} />}>
          <Current />
        </Suspense>
      </main>
      <StatusBar />
      <PaletteHost />
      <ConfirmHost />
      <Toasts />
    </div>
  )
}
