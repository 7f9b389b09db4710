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
import { describeEachDb } from './testing/test-db.js';

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
          headers: cookie ? { cookie } : {},
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
});
