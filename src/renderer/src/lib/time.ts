/** Kept so existing imports keep working: the time formatting lives in lib/format.ts (one formatter app-wide). */
export { absolute, relative, zoneName } from './format'
