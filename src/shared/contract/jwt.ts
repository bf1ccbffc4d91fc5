// Channels of the 'jwt:' domain. Filled in by its issue; empty until then.
export const jwtChannels = {}
