// Channels of the 'tokens:' domain. Filled in by its issue; empty until then.
export const tokensChannels = {}
