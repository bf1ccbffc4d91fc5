const EXPIRY_PRESETS = ['', '15m', '1h', '1d', '7d', '30d', '365d']

/** The options of a token's "Expires in" select; the empty one means the token never expires. */
export function ExpiryPresetOptions() {
  return (
    <>
      {EXPIRY_PRESETS.map((x) => (
        <option key={x} value={x}>
          {x || 'never'}
        </option>
      ))}
    </>
  )
}
