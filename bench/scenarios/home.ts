/**
 * Home (Recommended Communities) under 50 concurrent clients, against a bare Fastify route that
 * reads the same rows with the same queries and nothing else (no auth, no plugins): the product's
 * overhead is the ratio. Site: 1,000,000 people, 1,000 communities.
 */
import Fastify from 'fastify';
import { build } from '../../src/server/app.js';
import { createRuntime } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import { createSession } from '../../src/server/auth/session.service.js';
import { sessionCookieName } from '../../src/server/auth/cookies.js';
import {
  listJoinedCommunitiesOf,
  listOpenInvitationsOf,
  listSuggestedCommunities,
} from '../../src/server/memberships/index.js';
import { round, type BenchFigure } from '../lib/figures.js';
import { runLoad, unexpectedStatuses } from '../lib/load.js';
import { benchPgAdminUrl, prepareBenchSite } from '../lib/site.js';
import type { Dialect } from '../../src/server/db/db.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1_000_000);

async function runOn(dialect: Dialect): Promise<BenchFigure[]> {
  const site = await prepareBenchSite(dialect, { people: PEOPLE, communities: 1000 });
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: site.url,
    SECRET: 'b'.repeat(64),
    WORKER: 'false',
  });
  const runtime = await createRuntime(config);
  const { ctx } = runtime;
  // 200 active people who hold open invitations and memberships: the home screen has something to show.
  const people = await ctx.db
    .selectFrom('membership as m')
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .select('p.id')
    .distinct()
    .where('m.state', '=', 'invited')
    .where('p.status', '=', 'active')
    .limit(200)
    .execute();
  const cookies = await Promise.all(
    people.map(async (p) => `${sessionCookieName(config)}=${(await createSession(ctx, ctx.db, p.id)).token}`),
  );

  const app = await build(ctx, { webRoot: null });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const bare = Fastify({ logger: false });
  bare.get<{ Params: { id: string } }>('/bare/:id', async (request) => {
    const id = Number(request.params.id);
    const [invitations, communities, suggestions] = await Promise.all([
      listOpenInvitationsOf(ctx.db, id, 100),
      listJoinedCommunitiesOf(ctx.db, id, 500),
      listSuggestedCommunities(ctx.db, id, 12),
    ]);
    return { invitations, communities, suggestions };
  });
  const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });

  const bareResult = await runLoad({
    url: `${bareAddress}/bare/1`,
    setupRequest: (req, n) => ({ ...req, path: `/bare/${people[n % people.length].id}` }),
  });
  const home = await runLoad({
    url: `${address}/api/me/recommended-communities`,
    setupRequest: (req, n) => ({ ...req, headers: { ...req.headers, cookie: cookies[n % cookies.length] } }),
  });
  await app.close();
  await bare.close();
  await runtime.close();
  await site.drop();
  const errors = home.errors + unexpectedStatuses(home);
  return [
    { name: 'home.rps', value: home.rps, unit: 'req/s', db: dialect },
    { name: 'home.p95_ms', value: home.p95, unit: 'ms', db: dialect },
    { name: 'home.errors', value: errors, unit: 'count', db: dialect },
    { name: 'home_bare.rps', value: bareResult.rps, unit: 'req/s', db: dialect },
    {
      name: 'home_vs_bare.ratio',
      value: round(home.rps / bareResult.rps),
      unit: 'x',
      db: dialect,
      note: 'target ≥ 0.5',
    },
  ];
}

export async function run(): Promise<BenchFigure[]> {
  const figures = await runOn('sqlite');
  if (benchPgAdminUrl()) figures.push(...(await runOn('postgres')));
  return figures;
}
