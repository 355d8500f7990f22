import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'coverage/', 'test-artifacts/', 'plugins/*/dist/']},
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {parserOptions: {project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname}},
    rules: {
      // An un-awaited revert is a production incident.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', {allowNumber: true, allowBoolean: true}],
    },
  },
  {
    // The engine knows drivers only through the SDK types; drivers never import the engine.
    files: ['src/drivers/**/*.ts'],
    rules: {'no-restricted-imports': ['error', {patterns: [{group: ['**/engine/**'], message: 'Drivers must not import the engine; use drivers/define.ts types.'}]}]},
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {'no-restricted-imports': ['error', {patterns: [{group: ['**/drivers/memory/**', '**/drivers/*/index.js'], message: 'The engine knows drivers only through drivers/define.ts and the registry.'}]}]},
  },
  {files: ['**/*.mjs', 'bin/*.js'], ...tseslint.configs.disableTypeChecked},
  {files: ['**/*.mjs', 'bin/*.js'], languageOptions: {globals: globals.node}},
)
