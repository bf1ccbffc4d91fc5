export const EXPIRY_PRESETS = ['', '15m', '1h', '1d', '7d', '30d', '365d']
