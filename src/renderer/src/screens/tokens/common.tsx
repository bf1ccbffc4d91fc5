import { Badge } from '../../components/ui'
import { relative } from '../../lib/format'
import type { LifeState } from '../../../../shared/contract'

export const ROW_HEIGHT = 30

const STATE_LABEL: Record<LifeState, string> = {
  'enabled-offline': 'enabled · offline',
  'enabled-online': 'enabled · online',
  'disabled-offline': 'disabled · offline',
  'disabled-online': 'disabled · online',
  bin: 'recycle bin'
}
export function StateBadge({ state, testId }: { state: LifeState; testId?: string }) {
  const kind =
    state === 'bin' ? 'bad' : state.startsWith('disabled') ? 'warn' : state.endsWith('online') ? 'ok' : 'info'
  return (
    <Badge kind={kind} testId={testId}>
      <span data-state={state}>{STATE_LABEL[state]}</span>
    </Badge>
  )
}

export function expiryText(expire: number): string {
  if (!expire) return 'never'
  return relative(expire * 1000)
}
