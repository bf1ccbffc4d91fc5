/** Engine warnings arrive as coded values ({ code, message }) or, from older channels, as plain text. */
export type Warning = string | { code: string; message: string }

export function warningText(w: Warning): string {
  return typeof w === 'string' ? w : w.message
}

export function warningCode(w: Warning): string | null {
  return typeof w === 'string' ? null : w.code
}
