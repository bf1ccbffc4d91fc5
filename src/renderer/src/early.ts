import { prefetch } from './api'
import { HORIZON_DAYS } from './stores/dashboard.store'
import { initialUiState } from './stores/ui.store'

// The shell's and the landing dashboard's first reads leave now, while React and the shell's code still load and
// evaluate: the answers are on their way when the first render asks for them (api.prefetch).
prefetch('system:status', {})
prefetch('system:getSettings', {})
if (initialUiState.screen === 'dashboard') {
  prefetch('tokens:counts', {})
  prefetch('tokens:expiry', { days: HORIZON_DAYS })
  prefetch('audit:list', { limit: 12 })
}
