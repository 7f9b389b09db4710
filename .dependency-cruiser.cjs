/* global module */
/**
 * Dependency rules (`npm run deps`, part of `npm test`). The rule that only repositories build
 * queries has a second half in eslint.config.js (query-builder calls and sql`` templates).
 */

/** Server folders that hold a product feature; infrastructure (jobs, email, http, db) imports none of them. */
const features = [
  'auth',
  'people',
  'communities',
  'memberships',
  'invitations',
  'data-tools',
  'landing',
  'insights',
  'site',
  'audit',
  'demo',
  'sso',
  'webhooks',
];
const featurePath = `^src/server/(${features.join('|')})/`;
const infrastructurePath = '^src/server/(jobs|email|http|db|metrics)/';
const testFile = '(\\.test\\.ts$|^src/server/testing/)';

/** Test, benchmark and demo support may build queries of their own. */
const querySupport = [
  '^src/server/db/',
  '^src/server/testing/',
  '^src/server/demo/',
  '\\.test\\.ts$',
  '\\.authz\\.ts$',
  'test-helpers\\.ts$',
  '/test-support\\.ts$',
  '^src/server/auth/testing\\.ts$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles: move the shared piece to the module it belongs to.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'web-imports-web-and-shared',
      severity: 'error',
      comment: 'The web app imports only src/web, src/shared and packages.',
      from: { path: '^src/web/' },
      to: { path: '^src/', pathNot: '^src/(web|shared)/' },
    },
    {
      name: 'shared-imports-neither-side',
      severity: 'error',
      comment: 'src/shared is used by both sides and imports neither.',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'infrastructure-imports-no-feature',
      severity: 'error',
      comment:
        'jobs/, email/, http/ and db/ import no feature: features register what they add through ' +
        'their module (src/server/<feature>/index.ts), and modules.ts passes the registries in.',
      from: { path: infrastructurePath, pathNot: testFile },
      to: { path: [featurePath, '^src/server/(modules|app)\\.ts$'] },
    },
    {
      name: 'only-repositories-use-kysely-values',
      severity: 'error',
      comment:
        'Repositories (and db/) are the only files that build queries: others may import types from ' +
        'kysely, not sql or the builders.',
      from: {
        path: '^src/',
        pathNot: ['\\.repository\\.ts$', ...querySupport],
      },
      to: {
        path: '(^|/)node_modules/kysely/',
        dependencyTypes: ['import', 'export', 'dynamic-import', 'require'],
        dependencyTypesNot: ['type-only'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.d.ts', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
