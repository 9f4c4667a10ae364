import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.state/', '.cache/', 'web-dist/', 'dist/', 'docs/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Only src/engine talks to the Camunda SDK; ExcelJS comes with its UTF-8 fix from src/shared/exceljs.ts.
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    ignores: ['src/engine/**', 'src/shared/exceljs.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@camunda8/*'], message: 'Only src/engine imports @camunda8/sdk.' },
            { group: ['exceljs'], message: 'Import ExcelJS from src/shared/exceljs.ts (its streaming reader corrupts characters cut between chunks).' },
          ],
        },
      ],
    },
  },
  {
    // Pure domain logic: no engine, database, HTTP, mail or Node I/O (ARCHITECTURE.md §5).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'child_process', 'net', 'http', 'https'], message: 'src/domain is pure: no Node I/O.' },
            { group: ['@camunda8/*', 'typeorm', 'pg', 'pg-*', 'express', 'express-*', 'nodemailer', 'docx', 'pdfkit', 'exceljs'], message: 'src/domain is pure: no engine, database, HTTP, mail or rendering.' },
            { group: ['**/engine/**', '**/db/**', '**/http/**', '**/mail/**', '**/services/**', '**/main/**', '**/workers/**'], message: 'src/domain imports only src/domain and src/shared.' },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests read JSON responses whose shape the assertions themselves check.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
