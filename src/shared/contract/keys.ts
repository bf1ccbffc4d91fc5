// Channels of the 'keys:' domain. Filled in by its issue; empty until then.
export const keysChannels = {}
