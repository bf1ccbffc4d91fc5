/**
 * The inventory bench's three servers in a process of their own: starts the Fess, xdua and Datafor emulators with P
 * tokens each (argv[2], default 10,000), prints one JSON line with their URLs and test credentials (the emulators'
 * own, not secrets), then serves until its stdin closes. Run apart from the bench so the refresh it measures is the
 * client's work and real round trips, as against real servers, not the emulators' CPU and GC on the same event loop.
 */
import { startFessEmulator } from '../test/emulators/fess'
import { startXduaEmulator } from '../test/emulators/xdua'
import { startDataforEmulator } from '../test/emulators/datafor'

export interface BenchServers {
  fess: { url: string; adminToken: string }
  xdua: { url: string; token: string }
  datafor: { url: string; username: string; password: string }
}

async function main(): Promise<void> {
  const P = Number(process.argv[2] ?? 10_000)
  const [fess, x, df] = await Promise.all([
    startFessEmulator({ tokens: P - 1, seed: 42 }),
    startXduaEmulator({ tokens: P, seed: 42 }),
    startDataforEmulator({ configs: P })
  ])
  const out: BenchServers = {
    fess: { url: fess.url, adminToken: fess.adminToken },
    xdua: { url: x.url, token: x.token },
    datafor: { url: df.url, username: df.admin.username, password: df.admin.password }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`)
  // The bench ends this process by closing its stdin, so it never outlives the bench.
  process.stdin.resume()
  process.stdin.on('end', () => void Promise.all([fess.close(), x.close(), df.close()]).then(() => process.exit(0)))
}

void main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
