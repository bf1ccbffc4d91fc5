// Channels of the 'ssoApps:' domain. Filled in by its issue; empty until then.
export const ssoAppsChannels = {}
