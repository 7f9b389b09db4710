import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Repositories are the only files that build queries: services and routes call repository
 * functions. (dependency-cruiser adds that only repositories and db/ import kysely values.)
 */
const queryBuilding = [
  {
    selector:
      'CallExpression[callee.property.name=/^(selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)$/]',
    message: 'Only *.repository.ts files build queries: call a repository function.',
  },
  {
    selector: "TaggedTemplateExpression[tag.name='sql']",
    message: 'Only *.repository.ts files write SQL: call a repository function.',
  },
  {
    selector: 'MemberExpression[object.name=/^(sql|CompiledQuery)$/]',
    message: 'Only *.repository.ts files write SQL: call a repository function.',
  },
];

/** Where queries may be built: repositories, the database layer, and test, benchmark and demo support. */
const queryBuildersAllowed = [
  'src/server/**/*.repository.ts',
  'src/server/db/**',
  'src/server/testing/**',
  'src/server/demo/**',
  'src/**/*.test.ts',
  'src/server/**/*.authz.ts',
  'src/server/**/*test-helpers.ts',
  'src/server/**/test-support.ts',
  'src/server/auth/testing.ts',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'bench/results/**', 'bench/data/**', 'bench/.build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/server/**/*.ts'],
    ignores: queryBuildersAllowed,
    rules: { 'no-restricted-syntax': ['error', ...queryBuilding] },
  },
);
