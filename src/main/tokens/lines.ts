import { isUtf8 } from 'node:buffer'
import { closeSync, openSync, readSync } from 'node:fs'

/** Bytes an import reads at a time. */
const READ_CHUNK = 1 << 20

/**
 * What the line reader returns for a line that is not valid UTF-8: a lone surrogate, which no decoded line can hold.
 * Such a line is refused (decoding would store U+FFFD in place of the bad bytes).
 */
export const INVALID_UTF8 = '\ud800'

export interface LineReader {
  /** The next line, or null at the end of the file. */
  next(): string | null
  close(): void
}

/**
 * The lines of a file, read synchronously into one reused buffer (grown for a longer line). Lines are split on the
 * byte 0x0A (it never occurs inside a multi-byte UTF-8 character) and each is decoded on its own: decoding whole chunks
 * made every line a two-byte string as soon as a chunk held one CJK character, which slows every later step. Line
 * breaks as readline (crlfDelay Infinity) reads them: \n, \r\n, or a lone \r. Throws if the file cannot be opened.
 */
export function lineReader(file: string): LineReader {
  const fd = openSync(file, 'r')
  let buf = Buffer.allocUnsafeSlow(READ_CHUNK)
  // Bytes [from, end) of buf are read and not yet returned; past `end` lie an earlier read's.
  let from = 0
  let end = 0
  let eof = false
  const parts: string[] = []
  /** The next piece up to a \n (or the file's end). */
  const piece = (): string | null => {
    for (;;) {
      const nl = buf.indexOf(10, from)
      if (nl !== -1 && nl < end) {
        const text = isUtf8(buf.subarray(from, nl)) ? buf.toString('utf8', from, nl) : INVALID_UTF8
        from = nl + 1
        return text
      }
      if (eof) {
        if (from === end) return null
        const text = isUtf8(buf.subarray(from, end)) ? buf.toString('utf8', from, end) : INVALID_UTF8
        from = end
        return text
      }
      buf.copy(buf, 0, from, end)
      end -= from
      from = 0
      if (end === buf.length) buf = Buffer.concat([buf], buf.length * 2)
      const n = readSync(fd, buf, end, buf.length - end, null)
      if (n === 0) eof = true
      end += n
    }
  }
  return {
    next() {
      if (parts.length) return parts.shift()!
      const p = piece()
      if (p === null) return null
      const line = p.endsWith('\r') ? p.slice(0, -1) : p
      if (!line.includes('\r')) return line
      const [first, ...rest] = line.split('\r')
      parts.push(...rest)
      return first
    },
    close: () => closeSync(fd)
  }
}
