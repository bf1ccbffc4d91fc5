// Channels of the 'remote:' domain. Filled in by its issue; empty until then.
export const remoteChannels = {}
