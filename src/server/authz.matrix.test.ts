/**
 * The authorization matrix: every route × anonymous, pending, pre-verified,
 * inactive, member, leader of this community, leader of another community, site admin.
 * Rows live next to each feature in `*.authz.ts`; a route without a row fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { build } from './app.js';
import {
  type AuthzRow,
  type AuthzWorld,
  buildAuthzWorld,
  callerKinds,
  cookieFor,
  type Expectation,
} from './testing/authz.js';
import { describeEachDb } from './testing/test-db.js';

const serverDir = path.dirname(fileURLToPath(import.meta.url));

function findRowFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return findRowFiles(p);
    return e.name.endsWith('.authz.ts') ? [p] : [];
  });
}

const rowFiles = findRowFiles(serverDir);
const rows: AuthzRow[] = [];
for (const file of rowFiles) {
  const mod = (await import(pathToFileURL(file).href)) as { authzRows?: AuthzRow[] };
  if (!mod.authzRows) throw new Error(`${path.relative(serverDir, file)} does not export authzRows`);
  rows.push(...mod.authzRows);
}

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
      'routes missing from the matrix (add them to a *.authz.ts file)',
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
