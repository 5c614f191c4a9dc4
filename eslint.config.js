// kubewire lints itself: `npm run lint`, part of `npm test`.
// TypeScript (src, test, vitest.config.ts) gets typescript-eslint's type-checked recommended rules, with the
// types of the same tsconfig.json that `npm run typecheck` uses (projectService finds it). Plain JavaScript
// (scripts, bin, this file) gets the untyped recommended rules: tsconfig.json does not include JavaScript.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    // Generated output and installed packages; the fixtures, the corpus and the Helm chart are inputs whose
    // bytes are the test.
    ignores: [
      'dist/',
      'action/dist/',
      'node_modules/',
      'coverage/',
      '.tmp/',
      'test/fixtures/',
      'test/fixtures-*/',
      'test/corpus/',
      'test/helm/',
    ],
  },
  {
    // A disable comment that no longer suppresses anything is dead code too.
    linterOptions: { reportUnusedDisableDirectives: 'error', reportUnusedInlineConfigs: 'error' },
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    // The command's launcher is CommonJS (bin/package.json), for start-up: require() is how it loads.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Dead code and code that does nothing. tsc's noUnusedLocals and noUnusedParameters already fail the
    // typecheck on unused locals and parameters in TypeScript; no-unused-vars also covers the JavaScript.
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          caughtErrors: 'none',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      'no-unreachable': 'error',
      'no-unreachable-loop': 'error',
      'no-useless-return': 'error',
      'no-useless-catch': 'error',
      'no-unused-private-class-members': 'error',
      'no-constant-condition': ['error', { checkLoops: 'allExceptWhileTrue' }],
      '@typescript-eslint/no-unused-expressions': 'error',
      '@typescript-eslint/no-useless-constructor': 'error',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // vitest types its asymmetric matchers (expect.any, expect.stringMatching, ...) as `any`, and the tests
      // read the JSON and SARIF that kubewire prints as loose JSON: an `any` there fails a test, not a user.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // Stand-ins for async hooks (readStdin: async () => ...) have nothing to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // This test is about control characters reaching a terminal: its regular expressions match them on purpose.
    files: ['test/hostile-output.test.ts'],
    rules: { 'no-control-regex': 'off' },
  },
);
