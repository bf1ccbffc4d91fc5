import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import { builtinModules } from 'node:module'

// One safe wrapper opens links (https only): nothing else may call shell.openExternal (Beekeeper, Insomnia).
const openExternalOnlyInLinks = [
  {
    selector: "CallExpression[callee.property.name='openExternal']",
    message: 'Use openExternalSafe() from src/main/shell/links.ts: it allows https only.'
  },
  {
    // shell['openExternal'](url)
    selector: "CallExpression[callee.property.value='openExternal']",
    message: 'Use openExternalSafe() from src/main/shell/links.ts: it allows https only.'
  },
  {
    // const { openExternal } = shell
    selector: "ObjectPattern > Property[key.name='openExternal']",
    message: 'Use openExternalSafe() from src/main/shell/links.ts: it allows https only.'
  }
]

// Layer zones (VS Code's import-pattern rule). The rule sees import strings, not resolved files: a relative import is
// judged by the folder names in its path, so no file in these layers may itself be imported as `main` or `preload`.
const builtins = `^(node:.*|${builtinModules.filter((m) => !m.startsWith('_')).join('|')})$`
const relativeInto = (...dirs) => `^\\.\\.?/(.*/)?(${dirs.join('|')})(/|$)`
const noNode = (message) => ({ regex: builtins, message })
const noElectron = (message) => ({ regex: '^electron(/|$)', message })
// no-restricted-imports does not see import(): the same patterns go to no-restricted-syntax (esquery regexes take no
// literal '/', hence \x2F), beside the openExternal rule these files would otherwise lose.
const dynamicImport = ({ regex, message }) => ({
  selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`,
  message
})
const restrict = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
  'no-restricted-syntax': ['error', ...openExternalOnlyInLinks, ...patterns.map(dynamicImport)]
})

const layerZones = [
  {
    // Pure code both worlds load (renderer and main): zod and itself only.
    files: ['src/shared/**/*.{ts,tsx}'],
    rules: restrict(noNode('src/shared is pure: no Node built-ins.'), noElectron('src/shared is pure: no electron.'), {
      regex: relativeInto('main', 'renderer', 'preload'),
      message: 'src/shared imports nothing of main, renderer or preload.'
    })
  },
  {
    // Services also run under plain Node (CLI, web mode): no electron, and no shell code beyond its pure CSP table.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/shell/**'],
    rules: restrict(
      noElectron('Only the Electron shell (src/main/index.ts, src/main/shell/) and the preload import electron.'),
      {
        regex: '^\\.\\.?/(.*/)?shell(/(?!csp$)|$)',
        message: 'Services never import the Electron shell; the shell calls them.'
      }
    )
  },
  {
    // The sandboxed preload can require only electron (and what is bundled into it): the contract, never main's code.
    files: ['src/preload/**/*.ts'],
    rules: restrict(noNode('A sandboxed preload has no Node built-ins.'), {
      regex: relativeInto('main', 'renderer'),
      message: 'The preload imports only electron and src/shared.'
    })
  },
  {
    // The renderer reaches main only through the preload's window.api: it imports src/shared and its own code.
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: restrict(
      noNode('The renderer has no Node built-ins; main does that work behind window.api.'),
      noElectron('The renderer calls window.api, never electron.'),
      { regex: relativeInto('main', 'preload'), message: 'The renderer imports only src/shared and its own code.' }
    )
  }
]

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', ...openExternalOnlyInLinks]
    }
  },
  {
    // Not yet typed: the tests' parsed JSON answers and Electron stand-ins.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  ...layerZones,
  {
    // Above ~400 lines a file usually holds two things, above 120 a function; blank and comment lines do not count.
    files: ['src/main/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 120, skipBlankLines: true, skipComments: true }]
    }
  },
  {
    // One typecheck covers main and the browser tests, so DOM types are in scope there: lint bars the DOM's globals
    // from the code that runs under Node or in both worlds.
    files: ['src/main/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'HTMLElement'].map(
          (name) => ({ name, message: 'src/main and src/shared run under Node too: no DOM globals.' })
        )
      ]
    }
  },
  {
    files: ['src/main/shell/links.ts'],
    rules: { 'no-restricted-syntax': 'off' }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' }
  },
  {
    files: ['**/*.cjs', 'bin/*', 'scripts/**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  }
)
