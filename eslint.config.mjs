import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // One safe wrapper opens links (https only): nothing else may call shell.openExternal (Beekeeper, Insomnia).
      'no-restricted-syntax': [
        'error',
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
    }
  },
  {
    // Not yet typed: the tests' parsed JSON answers and Electron stand-ins, SELECT * rows in the export, ipcMain's listener.
    files: ['test/**', 'src/main/tokens/io.ts', 'src/main/shell/ipc.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
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
