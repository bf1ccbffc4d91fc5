import { Screen } from '../components/Screen'
import { Empty } from '../components/ui'
import type { ScreenId } from '../stores/ui.store'

export function Pending({ id, title }: { id: ScreenId; title: string }) {
  return (
    <Screen id={id} title={title}>
      <Empty>This screen appears once its channels are part of the contract.</Empty>
    </Screen>
  )
}
