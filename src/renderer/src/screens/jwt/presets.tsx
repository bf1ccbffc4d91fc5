import { Options, SelectField } from '../../components/fields'

const EXPIRY_PRESETS = ['', '15m', '1h', '1d', '7d', '30d', '365d']

/** A token's "Expires in" select over the presets; the empty one means the token never expires. */
export function ExpiryField({
  value,
  onChange,
  ...attrs
}: {
  value: string
  onChange: (value: string) => void
  'data-testid'?: string
}) {
  return (
    <SelectField name="expiresIn" label="Expires in" value={value} onChange={onChange} {...attrs}>
      <Options items={EXPIRY_PRESETS} value={(x) => x} label={(x) => x || 'never'} />
    </SelectField>
  )
}
