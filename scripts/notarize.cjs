// electron-builder afterSign hook: notarizes the signed macOS app with Apple's notary service when credentials are
// present in the environment, and says plainly that it skipped otherwise (local and unsigned builds).
// Signing itself is electron-builder's: CSC_LINK (a .p12, path or base64) and CSC_KEY_PASSWORD, or a Developer ID
// identity in the login keychain.
const path = require('node:path')

/** Which notarytool credentials the environment offers, in Apple's order of preference; null when none. */
function notarizeCredentials(env = process.env) {
  if (env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER)
    return { appleApiKey: env.APPLE_API_KEY, appleApiKeyId: env.APPLE_API_KEY_ID, appleApiIssuer: env.APPLE_API_ISSUER }
  if (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID)
    return { appleId: env.APPLE_ID, appleIdPassword: env.APPLE_APP_SPECIFIC_PASSWORD, teamId: env.APPLE_TEAM_ID }
  if (env.APPLE_KEYCHAIN_PROFILE) return { keychainProfile: env.APPLE_KEYCHAIN_PROFILE, keychain: env.APPLE_KEYCHAIN }
  return null
}

async function afterSign(context) {
  if (context.electronPlatformName !== 'darwin') return
  const credentials = notarizeCredentials()
  if (!credentials) {
    console.log(
      '  • notarization skipped: set APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER, or APPLE_ID + ' +
        'APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or APPLE_KEYCHAIN_PROFILE'
    )
    return
  }
  const { notarize } = require('@electron/notarize')
  const appPath = path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`)
  await notarize({ appPath, ...credentials })
  console.log(`  • notarized ${path.basename(appPath)}`)
}

module.exports = afterSign
module.exports.default = afterSign
module.exports.notarizeCredentials = notarizeCredentials
