// Channels of the 'connections:' domain. Filled in by its issue; empty until then.
export const connectionsChannels = {}
