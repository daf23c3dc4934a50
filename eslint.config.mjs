// One eslint configuration for the repository's JavaScript: the extension (browser ES modules and
// two classic content scripts), its build tools and the node test suites.
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    ignores: ['build*/**', 'node_modules/**', 'dist/**', 'out/**'],
  },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: 'error',
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    files: ['extension/src/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions } },
  },
  {
    files: ['extension/src/pos/*.js'],
    languageOptions: { sourceType: 'script' },
  },
  {
    files: ['extension/*.mjs', 'extension/tools/**', 'tests/**/*.js', 'tests/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Functions passed to page.evaluate run in the browser.
    files: ['tests/e2e/**', 'tests/bench/**', 'tests/integration/package.test.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser, ...globals.webextensions } },
  },
];
