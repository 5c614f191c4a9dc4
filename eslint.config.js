// kubewire lints itself: `npm run lint` (part of `npm test`).
// TypeScript files are linted with typescript-eslint's type-checked recommended rules, using the same
// tsconfig.json the typecheck uses (projectService finds it); plain JavaScript (scripts, bin, this file) gets
// the untyped recommended rules, since tsconfig.json does not include JavaScript.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Generated output, installed packages, and inputs whose bytes are the test (YAML/JSON fixtures, the
    // corpus, the Helm chart), which are not JavaScript anyway.
    ignores: ['dist/', 'action/dist/', 'node_modules/', 'coverage/', '.tmp/', 'test/fixtures/', 'test/corpus/', 'test/helm/'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error', reportUnusedInlineConfigs: 'error' },
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly' },
    },
  },
  {
    // Dead code. tsc's noUnusedLocals/noUnusedParameters already fail the typecheck on unused locals; these
    // rules add what tsc misses or reports only as a suggestion.
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'none',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      'no-unreachable': 'error',
      'no-unreachable-loop': 'error',
      'no-useless-return': 'error',
      'no-constant-condition': ['error', { checkLoops: 'allExceptWhileTrue' }],
      'no-unused-expressions': 'off',
      '@typescript-eslint/no-unused-expressions': 'error',
      'no-unused-private-class-members': 'error',
      'no-self-assign': 'error',
      'no-useless-catch': 'error',
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
);
