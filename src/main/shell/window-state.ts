import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'

/**
 * Window size and position remembered across launches (a JSON file in userData). The file is user-editable, so it
 * is validated; a saved position that no longer fits any display (a monitor unplugged) is dropped so the window
 * never opens off screen.
 */
const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean().default(false)
})
export type WindowState = z.infer<typeof WindowState>

/** A display's work area, in the units of the saved bounds. */
export type Rect = Required<Pick<WindowState, 'x' | 'y' | 'width' | 'height'>>

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false }
export const WINDOW_STATE_FILE = 'window-state.json'

export function loadWindowState(file: string): WindowState {
  try {
    const parsed = WindowState.safeParse(JSON.parse(readFileSync(file, 'utf8')))
    return parsed.success ? parsed.data : { ...DEFAULT_WINDOW_STATE }
  } catch {
    return { ...DEFAULT_WINDOW_STATE }
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true })
  // Write then rename, so a crash mid-write never leaves a half file.
  const tmp = `${file}.tmp`
  writeFileSync(tmp, JSON.stringify(WindowState.parse(state)), { mode: 0o600 })
  renameSync(tmp, file)
}

/**
 * Keeps the saved position only if at least 100x50 px of the title area falls on one display's work area; shrinks the
 * size to the largest display. Without displays (headless), returns the size alone.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  if (workAreas.length === 0) return { width: state.width, height: state.height, maximized: state.maximized }
  const maxW = Math.max(...workAreas.map((a) => a.width))
  const maxH = Math.max(...workAreas.map((a) => a.height))
  const width = Math.min(state.width, maxW)
  const height = Math.min(state.height, maxH)
  const out: WindowState = { width, height, maximized: state.maximized }
  if (state.x === undefined || state.y === undefined) return out
  const { x, y } = state
  const visible = workAreas.some((a) => {
    const overlapW = Math.min(x + width, a.x + a.width) - Math.max(x, a.x)
    const topVisible = y >= a.y && y + 50 <= a.y + a.height
    return overlapW >= 100 && topVisible
  })
  return visible ? { ...out, x, y } : out
}
