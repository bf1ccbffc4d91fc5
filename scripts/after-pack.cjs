// electron-builder afterPack hook: flips Electron's fuses on the packaged binary before it is signed, then reads the
// wire back and fails the build if any fuse is not as required.
const path = require('node:path')
const { flipFuses, getCurrentFuseWire, FuseVersion, FuseV1Options } = require('@electron/fuses')

/** The fuse settings every TokenDesk package ships with. */
const FUSES = {
  // No `ELECTRON_RUN_AS_NODE=1 TokenDesk script.js`: the app binary is not a general Node runtime.
  [FuseV1Options.RunAsNode]: false,
  // Cookies and other Chromium storage encrypted with an OS-keychain-held key.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS (e.g. --require evil.js) is ignored.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect / --inspect-brk are ignored: no debugger attach to the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // app.asar is checked against the hash embedded at packaging (macOS and Windows).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Only app.asar is loaded, never a loose app/ folder dropped beside it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // file:// gets no extra privileges (the renderer is served from app://).
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false
}

/** The file that carries the fuse wire, per platform (electron-builder's context). */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context
  const name = packager.appInfo.productFilename
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${name}.app`)
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`)
  return path.join(appOutDir, packager.executableName)
}

async function afterPack(context) {
  const binary = electronBinaryPath(context)
  // arm64 macOS binaries carry an ad-hoc signature that flipping invalidates; re-sign ad hoc (real signing follows).
  const arm64Mac = context.electronPlatformName === 'darwin' && context.arch === 3 /* builder-util Arch.arm64 */
  await flipFuses(binary, { version: FuseVersion.V1, resetAdHocDarwinSignature: arm64Mac, ...FUSES })
  const wire = await getCurrentFuseWire(binary)
  const wrong = Object.entries(FUSES).filter(([i, on]) => wire[i] !== (on ? 49 /* ENABLE */ : 48) /* DISABLE */)
  if (wrong.length) throw new Error(`Fuses not set on ${binary}: ${wrong.map(([i]) => FuseV1Options[i]).join(', ')}`)
  console.log(
    `  • fuses set on ${path.basename(binary)}: ${Object.keys(FUSES)
      .map((i) => `${FuseV1Options[i]}=${FUSES[i] ? 'on' : 'off'}`)
      .join(', ')}`
  )
}

module.exports = afterPack
module.exports.default = afterPack
module.exports.FUSES = FUSES
module.exports.electronBinaryPath = electronBinaryPath
