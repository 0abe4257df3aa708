import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'engine/target/**', 'engine/.data/**', '**/*.js', '!eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Curated named exports: a package says what it offers, name by name.
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'no export *: export the names used outside the module, one by one' },
      ],
    },
  },
);
