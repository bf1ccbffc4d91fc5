/**
 * Every permission request is denied (Electron security checklist item 5): the console needs no camera, microphone,
 * geolocation, notifications-from-the-page, clipboard-read, HID, USB or serial access. OS notifications come from main.
 * A structural stand-in for Electron's Session, so the wiring is unit-tested without the binary.
 */
export interface PermissionSessionLike {
  setPermissionRequestHandler(
    handler: ((wc: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null
  ): void
  setPermissionCheckHandler(
    handler: ((wc: unknown, permission: string, origin: string, details: unknown) => boolean) | null
  ): void
  setDevicePermissionHandler?(handler: ((details: unknown) => boolean) | null): void
  setDisplayMediaRequestHandler?(
    handler: ((request: unknown, callback: (streams: Record<string, never>) => void) => void) | null
  ): void
}

export function denyAllPermissions(session: PermissionSessionLike): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler?.(() => false)
  // An empty answer refuses screen capture.
  session.setDisplayMediaRequestHandler?.((_request, callback) => callback({}))
}
