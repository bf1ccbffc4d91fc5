import { transport } from '../api'
import type { JobInfo } from '../../../shared/contract'

/** The server's download route for the file a finished export or bulk-mint job wrote (see src/main/web/server.ts). */
const downloadUrl = (jobId: string) => `/download/${encodeURIComponent(jobId)}`

/**
 * In the web mode the file lands on the machine the server runs on, which may not be the browser's: offer it as a
 * download. The desktop app writes where the user is, so it shows nothing.
 */
export function DownloadLink({ job, file }: { job: JobInfo | null; file: string | undefined }) {
  if (transport !== 'rpc' || !job || job.state !== 'done' || !file) return null
  const name = file.split(/[\\/]/).pop() ?? file
  return (
    <a className="btn small" href={downloadUrl(job.id)} download={name}>
      Download {name}
    </a>
  )
}

/**
 * Saves text the answer carried as a file through the browser's own download (web mode and desktop alike): nothing is
 * written on the machine TokenDesk runs on.
 */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.className = 'sr-only'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // The click has handed the blob to the download; release it once that has started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
