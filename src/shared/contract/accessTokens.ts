// Channels of the 'accessTokens:' domain. Filled in by its issue; empty until then.
export const accessTokensChannels = {}
