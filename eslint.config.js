import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Camunda 8 is gone (the engine is Operaton, the Camunda 7 continuation): banned everywhere. ESLint
 * keeps one `no-restricted-imports` per file (the last matching config wins), so every config that
 * sets the rule repeats these patterns.
 */
const CAMUNDA8 = [
  { group: ['@camunda8/*'], message: 'The engine is Operaton (REST, src/engine); the Camunda 8 SDK is not used.' },
  { group: ['zeebe-bpmn-moddle', 'zeebe-bpmn-moddle/*'], message: 'Diagrams are in the Camunda 7 dialect: use camunda-bpmn-moddle.' },
];

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
    // The engine is Operaton, spoken to over REST from src/engine: nothing imports the Camunda 8 SDK or
    // the Zeebe dialect, anywhere (the C7 dialect is camunda-bpmn-moddle).
    files: ['**/*.{ts,js,mjs,cjs}'],
    rules: { 'no-restricted-imports': ['error', { patterns: CAMUNDA8 }] },
  },
  {
    // ExcelJS comes with its UTF-8 fix from src/shared/exceljs.ts.
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    ignores: ['src/shared/exceljs.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...CAMUNDA8,
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
            ...CAMUNDA8,
            { group: ['typeorm', 'pg', 'pg-*', 'express', 'express-*', 'nodemailer', 'docx', 'pdfkit', 'exceljs'], message: 'src/domain is pure: no engine, database, HTTP, mail or rendering.' },
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
  {
    // Browser code Tasklist serves as it is (type-checked through web-modeler-assets/tsconfig.json).
    files: ['src/engine/operaton/src/main/resources/**/*.js'],
    languageOptions: { globals: { document: 'readonly', NodeFilter: 'readonly', MutationObserver: 'readonly' } },
  },
);
