/**
 * Runs one emulator by hand: `npm run emulator -- fess|datafor|xdua [--port N] [--seed N] [--tokens N] [--version 14.x]
 * [--action-routes]`. Prints the base URL and the test credentials to use (they are the emulator's own, not secrets),
 * then serves until Ctrl+C.
 */
import { startFessEmulator } from './fess'
import { startDataforEmulator } from './datafor'
import { startXduaEmulator } from './xdua'
import { xduaActionRoutes } from '../../src/shared/contract/connections'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}
const num = (name: string, d?: number) => (arg(name) !== undefined ? Number(arg(name)) : d)

async function main(): Promise<void> {
  const kind = process.argv.slice(2).find((a) => !a.startsWith('--') && ['fess', 'datafor', 'xdua'].includes(a))
  const port = num('port', 0)
  const seed = num('seed', 1)
  if (!kind) {
    process.stderr.write(
      'usage: npm run emulator -- fess|datafor|xdua [--port N] [--seed N] [--tokens N] [--version 14.x] [--action-routes]\n'
    )
    process.exit(2)
  }
  let close: () => Promise<void>
  if (kind === 'fess') {
    const e = await startFessEmulator({
      port,
      seed,
      tokens: num('tokens', 25),
      version: arg('version'),
      adminToken: arg('admin-token')
    })
    close = e.close
    process.stdout.write(`Fess ${e.version} emulator: ${e.url}\nadmin token (test value): ${e.adminToken}\n`)
    process.stdout.write(`try: tokendesk remote fess --url ${e.url} --token-file <file with the token> list\n`)
  } else if (kind === 'datafor') {
    const e = await startDataforEmulator({ port, configs: num('tokens', 3) })
    close = e.close
    process.stdout.write(
      `Datafor emulator: ${e.url}\nadmin: ${e.admin.username} / ${e.admin.password}  viewer: ${e.viewer.username} / ${e.viewer.password}\n`
    )
  } else {
    const e = await startXduaEmulator({
      port,
      seed,
      tokens: num('tokens', 10),
      routes: process.argv.includes('--action-routes') ? xduaActionRoutes() : undefined
    })
    close = e.close
    process.stdout.write(`xdua emulator: ${e.url}\ncaller JWT (send raw as Authorization): ${e.token}\n`)
  }
  const stop = () => void close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

void main()
