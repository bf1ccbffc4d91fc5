/**
 * The one data-testid dictionary (Beekeeper/Bruno style): the renderer and the Playwright page objects import it, so
 * a renamed id breaks the typecheck instead of a test at run time. A fixed id is its key in kebab case (`statusBar` is
 * `status-bar`), so ids stay stable and unique by construction; an id with a variable part is a function.
 */
const FIXED = [
  // Shell, status bar, dialogs and fields
  'shell',
  'screenSkeleton',
  'statusBar',
  'statusDataDir',
  'statusSchema',
  'statusKeychain',
  'statusMode',
  'keychainBanner',
  'storeBanner',
  'toast',
  'palette',
  'paletteInput',
  'confirmDialog',
  'confirmOk',
  'confirmCancel',
  'confirmItem',
  // Settings
  'settingsSave',
  'settingsDataDir',
  'settingsKeychain',
  // Audit
  'auditFilterAction',
  'auditFilterTarget',
  'auditFilterOutcome',
  'auditRow',
  'auditMore',
  // Dashboard
  'dashTimeline',
  'dashRecent',
  'dashFindings',
  'dashFindingsOpen',
  // Inventory
  'invRow',
  'invFindingsTotal',
  'invTotal',
  'invMore',
  'invDetail',
  'invFinding',
  /** The Findings block of a token's, access token's or SSO app's detail pane. */
  'recordFindings',
  'invRenewSelected',
  'invRenewProgress',
  'invRefresh',
  'invRefreshResult',
  'invRotate',
  'watchBanner',
  'watchBannerOpen',
  // Rotate (a guided replacement, the old token kept until retired)
  'rotateDialog',
  'rotateStart',
  'rotateValue',
  'rotateRetire',
  'rotateSteps',
  // Tokens
  'tokensSearch',
  'tokensNew',
  'tokensList',
  'tokensRow',
  'tokensTotal',
  'tokensSort',
  'tokenDetail',
  'tokenState',
  'tokenHistory',
  'tokenHistoryRow',
  'tokenForm',
  'tokenFormSubmit',
  'undo',
  // Access tokens / SSO apps (their Edit and Delete: `${prefix}-edit`, `${prefix}-delete`)
  'accessNew',
  'accessRow',
  'accessForm',
  'accessSubmit',
  'accessReveal',
  'accessSecret',
  'ssoNew',
  'ssoRow',
  'ssoForm',
  'ssoSubmit',
  'ssoMint',
  'ssoMintUsername',
  'ssoMintSubmit',
  'ssoMintToken',
  'ssoMintUrl',
  'ssoMintOpenInWorkbench',
  // JWT workbench
  'jwtInput',
  'jwtHeader',
  'jwtPayload',
  'jwtClaims',
  'jwtExpiredBadge',
  'jwtWarning',
  'jwtVerifyKey',
  'jwtVerifySubmit',
  'jwtVerifyResult',
  'jwtSignKey',
  'jwtSignAlg',
  'jwtSignClaims',
  'jwtSignExpiry',
  'jwtSignSubmit',
  'jwtSignResult',
  'jwtBulkFile',
  'jwtBulkStart',
  'jwtBulkCancel',
  'jwtBulkProgress',
  'jwtBulkStatus',
  // Keys
  'keysNew',
  'keysImport',
  'keysRow',
  'keyGenerateSubmit',
  'keyImportText',
  'keyImportSubmit',
  'keyExportOutput',
  'keyDelete',
  // Connections
  'connNew',
  'connRow',
  'connForm',
  'connSubmit',
  'connTest',
  'connTestResult',
  'connDelete',
  'connEdit',
  'connOpen',
  'remoteRow',
  'remoteNew',
  'remoteForm',
  'remoteSubmit',
  'remoteEdit',
  'remoteDelete',
  'remoteRefresh',
  'remotePull',
  'remotePush',
  'remoteProgress'
] as const

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

export const T = {
  ...(Object.fromEntries(FIXED.map((key) => [key, kebab(key)])) as Record<(typeof FIXED)[number], string>),
  // Shell, status bar, dialogs and fields
  nav: (screen: string) => `nav-${screen}`,
  screen: (screen: string) => `screen-${screen}`,
  error: (where: string) => `error-${where}`,
  fieldError: (field: string) => `field-error-${field}`,
  field: (field: string) => `field-${field}`,

  // Settings
  settingsTheme: (t: string) => `settings-theme-${t}`,

  // Dashboard
  dashCount: (state: string) => `dash-count-${state}`,
  dashExpiring: (days: number) => `dash-expiring-${days}`,

  // Inventory
  invFilter: (name: string) => `inv-filter-${name}`,
  invExport: (format: string) => `inv-export-${format}`,
  settingsWatch: (field: string) => `settings-watch-${field}`,

  // Tokens
  tokensCount: (state: string) => `tokens-count-${state}`,
  tokensFilter: (name: string) => `tokens-filter-${name}`,
  tokenAction: (verb: string) => `token-action-${verb}`,

  // Access tokens / SSO apps (their Edit and Delete: `${prefix}-edit`, `${prefix}-delete`)
  recordEdit: (prefix: string) => `${prefix}-edit`,
  recordDelete: (prefix: string) => `${prefix}-delete`,

  // JWT workbench
  jwtTab: (tab: string) => `jwt-tab-${tab}`,

  // Keys
  keyExport: (fmt: string) => `key-export-${fmt}`,

  // Connections
  remoteVerb: (verb: string) => `remote-verb-${verb}`
}
