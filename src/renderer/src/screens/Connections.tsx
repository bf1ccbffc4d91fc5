export { ConnectionsScreen } from './connections/ConnectionsScreen'
