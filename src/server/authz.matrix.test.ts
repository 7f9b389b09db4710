/**
 * The authorization matrix: every route × anonymous, pending, pre-verified,
 * inactive, member, leader of this community, leader of another community, site admin.
 * Each feature module brings its rows (`authzRows`, kept next to the feature in `*.authz.ts`);
 * the routes build() registers itself have theirs in testing/core.authz.ts. A route without a
 * row fails here.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { build } from './app.js';
import { loadAuthzRows } from './module.js';
import { featureModules } from './modules.js';
import {
  type AuthzRow,
  type AuthzWorld,
  buildAuthzWorld,
  callerKinds,
  cookieFor,
  type Expectation,
} from './testing/authz.js';
import { authzRows as coreRows } from './testing/core.authz.js';
import { describeEachDb, siteOrigin } from './testing/test-db.js';

const rows: AuthzRow[] = [...coreRows, ...(await loadAuthzRows(featureModules))];

/** Fills `:params` the row did not: communities → `here`, people → the member. */
function defaultUrl(w: AuthzWorld, route: string): string {
  const [, url] = route.split(' ');
  return url.replace(/:(\w+)/g, (_m, name: string) => {
    if (name === 'personId') return String(w.people.member.id);
    if (name === 'id' && url.startsWith('/api/communities')) return String(w.here.id);
    if (name === 'id') return String(w.people.member.id);
    return 'x';
  });
}

describeEachDb('authorization matrix', (t) => {
  const routes = new Set<string>();
  let app: FastifyInstance;
  let world: AuthzWorld;
  beforeAll(async () => {
    app = await build(t().ctx, {
      webRoot: null,
      onRoute: (r) => {
        for (const m of [r.method].flat()) if (m !== 'HEAD' && m !== 'OPTIONS') routes.add(`${m} ${r.url}`);
      },
    });
    await app.ready();
    world = await buildAuthzWorld(t().ctx);
  });
  afterAll(async () => {
    await app.close();
  });

  it('has a row for every route the app registers, and no row for a route it does not', () => {
    const covered = new Set(rows.map((r) => r.route));
    expect(
      [...routes].filter((r) => !covered.has(r)).sort(),
      "routes missing from the matrix (add them to the feature module's authzRows)",
    ).toEqual([]);
    expect([...covered].filter((r) => !routes.has(r)).sort(), 'rows for routes that do not exist').toEqual([]);
    expect(rows.length, 'one row per route').toBe(covered.size);
  });

  for (const row of rows) {
    it(`${row.route}`, async () => {
      const actual = {} as Expectation;
      for (const caller of callerKinds) {
        const req = row.request ? await row.request(world, caller) : { url: defaultUrl(world, row.route) };
        const [method] = row.route.split(' ');
        const cookie = await cookieFor(world, caller);
        const res = await app.inject({
          method: method as 'GET',
          url: req.url,
          // as the site's own pages send it: browsers add Origin to every unsafe request
          headers: { origin: siteOrigin, ...(cookie ? { cookie } : {}) },
          ...(req.body !== undefined
            ? { payload: req.body as object }
            : method === 'GET' || method === 'DELETE'
              ? {}
              : { payload: {} }),
        });
        actual[caller] = res.statusCode;
      }
      expect(actual, row.note).toEqual(row.expect);
    });
  }

  /**
   * A page on a sibling subdomain is "same-site": the browser sends our Lax cookies with its
   * requests. Every unsafe route refuses them (and a request with no Origin at all) for every
   * signed-in caller, before anything happens.
   */
  const unsafeRows = rows.filter((r) => !/^(GET|HEAD|OPTIONS) /.test(r.route) && !selfAuthenticated.has(r.route));
  const sameSite = [
    { 'sec-fetch-site': 'same-site', origin: 'https://student-pages.example.edu' },
    { 'sec-fetch-site': 'same-origin', origin: 'https://student-pages.example.edu' },
    { 'sec-fetch-site': 'same-site' },
    { 'sec-fetch-site': 'same-site', referer: 'https://student-pages.example.edu/x' },
  ];
  for (const row of unsafeRows) {
    it(`${row.route} refuses same-site pages`, async () => {
      const [method] = row.route.split(' ');
      const answers = new Set<string>();
      for (const caller of callerKinds) {
        const cookie = await cookieFor(world, caller);
        if (!cookie) continue;
        const req = row.request ? await row.request(world, caller) : { url: defaultUrl(world, row.route) };
        for (const headers of sameSite) {
          const res = await app.inject({
            method: method as 'POST',
            url: req.url,
            headers: { ...headers, cookie },
            payload: (req.body as object | undefined) ?? {},
          });
          answers.add(`${res.statusCode} ${(res.json() as { error?: { code?: string } }).error?.code}`);
        }
      }
      expect([...answers]).toEqual(['403 csrf_rejected']);
    });
  }
});

/**
 * Routes whose request carries its own credential (RFC 8058 one-click unsubscribe: mail servers
 * post it; the SAML ACS: the IdP's page posts a signed response across sites).
 */
const selfAuthenticated = new Set([
  'POST /api/sso/:id/acs',
  'POST /api/unsubscribe/:token',
  'POST /unsubscribe/:token',
  'POST /api/notifications/unsubscribe/:token',
  'POST /notifications/unsubscribe/:token',
]);
