/**
 * A community's landing page under 50 concurrent clients on loopback: loading the page's API
 * (`landing_page.p95_ms`) and "send code" with a distinct email per request
 * (`landing_code.p95_ms`). Only 2xx and 429 may come back, with no socket errors.
 *
 * The per-IP cap on code requests stays on: the app trusts X-Forwarded-For here (TRUST_PROXY, as
 * behind a load balancer) and every request carries its own client address, as 50 phones would.
 * Site: the same generated site as the other scenarios (BENCH_PEOPLE, default 1,000,000 people,
 * 1,000 communities), ten of whose communities have their landing page on.
 *
 * `*.server_p95_ms` is the server's own time for one request at a time (inject, no sockets, no
 * queueing behind 49 others): what a phone waits on the server when the site is not busy.
 */
import { build } from '../../src/server/app.js';
import { createRuntime } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import type { Dialect } from '../../src/server/db/db.js';
import { type BenchFigure, timeMany } from '../lib/figures.js';
import { runLoad, unexpectedStatuses } from '../lib/load.js';
import { benchPgAdminUrl, prepareBenchSite } from '../lib/site.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

/** 10.x.y.z from a counter: a distinct client address per request. */
function clientIp(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

async function runOn(dialect: Dialect): Promise<BenchFigure[]> {
  const site = await prepareBenchSite(dialect, { people: PEOPLE, communities: 1000 });
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: site.url,
    SECRET: 'l'.repeat(64),
    WORKER: 'false',
    TRUST_PROXY: 'loopback',
  });
  const runtime = await createRuntime(config);
  const { ctx } = runtime;
  const communities = await ctx.db
    .selectFrom('community')
    .select(['id', 'slug'])
    .where('privacy', '=', 'public')
    .orderBy('id')
    .limit(10)
    .execute();
  await ctx.db
    .updateTable('community')
    .set({ landing_enabled: 1 })
    .where(
      'id',
      'in',
      communities.map((c) => c.id),
    )
    .execute();
  const slugs = communities.map((c) => c.slug);

  const app = await build(ctx, { webRoot: null });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const solo = Date.now().toString(36);
    const pageServer = await timeMany(500, (i) => app.inject(`/api/landing/${slugs[i % slugs.length]}`));
    const codeServer = await timeMany(300, (i) =>
      app.inject({
        method: 'POST',
        url: `/api/landing/${slugs[i % slugs.length]}/code`,
        headers: { 'x-forwarded-for': clientIp(1_000_000 + i) },
        payload: { email: `solo-${solo}-${i}@landing.example` },
      }),
    );
    const page = await runLoad({
      url: `${address}/api/landing/${slugs[0]}`,
      seconds: SECONDS,
      setupRequest: (req, n) => ({ ...req, path: `/api/landing/${slugs[n % slugs.length]}` }),
    });
    const run = Date.now().toString(36);
    const code = await runLoad({
      url: `${address}/api/landing/${slugs[0]}/code`,
      method: 'POST',
      seconds: SECONDS,
      setupRequest: (req, n) => ({
        ...req,
        method: 'POST',
        path: `/api/landing/${slugs[n % slugs.length]}/code`,
        headers: { ...req.headers, 'content-type': 'application/json', 'x-forwarded-for': clientIp(n) },
        body: JSON.stringify({ email: `bench-${run}-${n}@landing.example` }),
      }),
    });
    const stats = await ctx.db
      .selectFrom('landing_stat')
      .select(['metric', (eb) => eb.fn.sum<number>('count').as('n')])
      .groupBy('metric')
      .execute();
    process.stderr.write(
      `   [${dialect}] page ${JSON.stringify(page.statuses)}, code ${JSON.stringify(code.statuses)}, counters ${JSON.stringify(stats)}\n`,
    );
    return [
      {
        name: 'landing_page.server_p95_ms',
        value: pageServer.p95,
        unit: 'ms',
        db: dialect,
        note: 'one request at a time',
      },
      {
        name: 'landing_code.server_p95_ms',
        value: codeServer.p95,
        unit: 'ms',
        db: dialect,
        note: 'one request at a time',
      },
      { name: 'landing_page.rps', value: page.rps, unit: 'req/s', db: dialect },
      { name: 'landing_page.p95_ms', value: page.p95, unit: 'ms', db: dialect, note: '50 connections' },
      { name: 'landing_page.errors', value: page.errors + unexpectedStatuses(page), unit: 'count', db: dialect },
      { name: 'landing_code.rps', value: code.rps, unit: 'req/s', db: dialect },
      {
        name: 'landing_code.p95_ms',
        value: code.p95,
        unit: 'ms',
        db: dialect,
        note: '50 connections, distinct emails and IPs',
      },
      {
        name: 'landing_code.errors',
        value: code.errors + unexpectedStatuses(code, [429]),
        unit: 'count',
        db: dialect,
        note: 'only 2xx/429 allowed',
      },
    ];
  } finally {
    await app.close();
    await runtime.close();
    await site.drop();
  }
}

export async function run(): Promise<BenchFigure[]> {
  const figures = await runOn('sqlite');
  if (benchPgAdminUrl()) figures.push(...(await runOn('postgres')));
  return figures;
}
