/** Matrix rows for the routes build() registers itself: health, OpenAPI, API docs. */
import { type AuthzRow, expectations } from './authz.js';

const open = expectations.open();

export const authzRows: AuthzRow[] = [
  { route: 'GET /healthz', expect: open },
  { route: 'GET /readyz', expect: open },
  {
    route: 'GET /metrics',
    expect: expectations.open(404),
    note: 'off without METRICS_TOKEN; with it, the token opens it, not a session (metrics.test.ts)',
  },
  { route: 'GET /api/openapi.json', expect: open },
  { route: 'GET /api/docs', expect: open },
  { route: 'GET /api/docs/json', expect: open },
  { route: 'GET /api/docs/yaml', expect: open },
  { route: 'GET /api/docs/static/index.html', expect: expectations.open(302), note: 'redirects to the docs page' },
  { route: 'GET /api/docs/static/swagger-initializer.js', expect: open },
  { route: 'GET /api/docs/static/*', expect: open, request: () => ({ url: '/api/docs/static/swagger-ui.css' }) },
];
