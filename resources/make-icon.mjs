// Draws the app icon (resources/icon.png, 512x512 RGBA) with nothing but Node's zlib: a rounded indigo tile with a
// white key whose bow is a token ring. electron-builder derives the macOS .icns and Windows .ico from it.
// Usage: node resources/make-icon.mjs   (the PNG is committed; rerun only to change the design)
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const S = 512
const SUB = 4 // 4x4 supersampling for smooth edges

function roundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r)
  const cy = Math.min(Math.max(y, y0 + r), y1 - r)
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1
}

function tile(x, y) {
  return roundedRect(x, y, 16, 16, 496, 496, 104)
}

function key(x, y) {
  const bx = 190
  const by = 256
  const d = Math.hypot(x - bx, y - by)
  const ring = d <= 104 && d >= 58 // the bow: a token ring
  const shaft = x >= 280 && x <= 430 && y >= 236 && y <= 276
  const tooth1 = x >= 350 && x <= 378 && y >= 276 && y <= 330
  const tooth2 = x >= 402 && x <= 430 && y >= 276 && y <= 350
  const dot = d <= 22 // the token's centre
  return ring || shaft || tooth1 || tooth2 || dot
}

const rgba = Buffer.alloc(S * S * 4)
for (let py = 0; py < S; py++) {
  for (let px = 0; px < S; px++) {
    let tileCov = 0
    let keyCov = 0
    for (let sy = 0; sy < SUB; sy++)
      for (let sx = 0; sx < SUB; sx++) {
        const x = px + (sx + 0.5) / SUB
        const y = py + (sy + 0.5) / SUB
        if (tile(x, y)) {
          tileCov++
          if (key(x, y)) keyCov++
        }
      }
    const t = py / S
    // Vertical gradient #4f46e5 -> #1e1b4b under a white key.
    const bg = [0x4f + (0x1e - 0x4f) * t, 0x46 + (0x1b - 0x46) * t, 0xe5 + (0x4b - 0xe5) * t]
    const k = tileCov ? keyCov / tileCov : 0
    const i = (py * S + px) * 4
    for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(bg[c] * (1 - k) + 255 * k)
    rgba[i + 3] = Math.round((255 * tileCov) / (SUB * SUB))
  }
}

// PNG (RFC 2083): signature, IHDR, one IDAT of filter-0 scanlines, IEND; CRC-32 over type + data.
const CRC = new Int32Array(256).map((_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c
})
function crc32(buf) {
  let c = -1
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ -1) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}
const ihdr = Buffer.alloc(13)
ihdr.writeUInt32BE(S, 0)
ihdr.writeUInt32BE(S, 4)
ihdr[8] = 8 // bit depth
ihdr[9] = 6 // RGBA
const raw = Buffer.alloc((S * 4 + 1) * S)
for (let y = 0; y < S; y++) rgba.copy(raw, y * (S * 4 + 1) + 1, y * S * 4, (y + 1) * S * 4)
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0))
])
const out = join(dirname(fileURLToPath(import.meta.url)), 'icon.png')
writeFileSync(out, png)
console.log(`${out} (${png.length} bytes)`)
