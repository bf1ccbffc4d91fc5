import { startFirstReads } from './early'
import './styles.css'

startFirstReads(location.hash)

/**
 * Runs fn once the browser has painted the static shell frame: React and the app then evaluate after the first paint
 * instead of holding it back. A hidden page gets no animation frames, hence the timer as well.
 */
function afterFirstPaint(fn: () => void): void {
  let done = false
  const once = () => {
    if (done) return
    done = true
    fn()
  }
  requestAnimationFrame(() => setTimeout(once, 0))
  setTimeout(once, 100)
}

afterFirstPaint(() => {
  void import('./mount').then((m) => m.mount(document.getElementById('root')!))
})
