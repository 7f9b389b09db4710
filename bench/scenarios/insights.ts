/**
 * The invitation funnel's reads over a site of 1,000,000 invitations (250,000 people, 1,000
 * communities, 50 inviters, a year of weeks): a community's Insights tab
 * (`GET /api/communities/:id/insights`, a random community per request) and the admin dashboard
 * (`GET /api/admin/insights`), each under 10 concurrent clients for 5 s, through the real app.
 * Target: p95 under 50 ms on both databases.
 *
 * The site is seeded with set-based SQL through the membership triggers that keep the counters
 * (their cost is the seed figure), then cached: a SQLite file under bench/data/, a template
 * database on PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL), keyed by the migrations and
 * this file. BENCH_INSIGHTS_DB=sqlite or postgres runs one database only.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { build } from '../../src/server/app.js';
import { sessionCookieName } from '../../src/server/auth/cookies.js';
import { createSession } from '../../src/server/auth/session.service.js';
import { createRuntime } from '../../src/server/bootstrap.js';
import type { Clock } from '../../src/server/clock.js';
import { loadConfig } from '../../src/server/config.js';
import { createDb, type Db, type Dialect, isPostgres } from '../../src/server/db/db.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { type BenchFigure, round } from '../lib/figures.js';
import { runLoad, unexpectedStatuses } from '../lib/load.js';
import { benchDataDir, benchPgAdminUrl } from '../lib/site.js';

const INVITATIONS = Number(process.env.BENCH_INSIGHTS_INVITATIONS ?? 1_000_000);
const PER_PERSON = 4;
const PEOPLE = Math.ceil(INVITATIONS / PER_PERSON);
const COMMUNITIES = 1000;
const INVITERS = 50;
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2027, 0, 15, 12);
const YEAR = 365 * DAY;

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

const series = (db: Db, n: number) =>
  isPostgres(db)
    ? sql`generate_series(1::bigint, ${sql.lit(n)}) as s(i)`
    : sql`(with recursive r(i) as (select 1 union all select i + 1 from r where i < ${sql.lit(n)}) select i from r) as s`;

function cacheKey(): string {
  const folder = path.resolve('src/server/db/migrations');
  const hash = crypto.createHash('sha256');
  for (const name of fs.readdirSync(folder).sort()) hash.update(name).update(fs.readFileSync(path.join(folder, name)));
  hash.update(fs.readFileSync(fileURLToPath(import.meta.url)));
  hash.update(String(INVITATIONS));
  return hash.digest('hex').slice(0, 10);
}

/** The site, seeded through the triggers; returns the seconds the invitations and their steps took. */
async function seed(db: Db): Promise<number> {
  await sql`insert into community (name, slug, headline, description, privacy, created_at, updated_at)
    select 'Community ' || i, 'community-' || i, 'Headline ' || i, '', 'invite_only', ${sql.lit(NOW)}, ${sql.lit(NOW)}
    from ${series(db, COMMUNITIES)}`.execute(db);
  if (isPostgres(db)) await sql`alter table person disable trigger person_count_trg`.execute(db);
  await sql`insert into person (email, first_name, last_name, name_key, last_name_key, status, is_admin, created_at, updated_at, activated_at)
    select 'person' || i || '@bench.test', 'Person', '' || i, 'person ' || i, '' || i, 'active',
      case when i = 1 then 1 else 0 end, ${sql.lit(NOW)}, ${sql.lit(NOW)}, ${sql.lit(NOW)}
    from ${series(db, PEOPLE)}`.execute(db);
  if (isPostgres(db)) {
    await sql`alter table person enable trigger person_count_trg`.execute(db);
    await sql`select person_count_bump('active', ${sql.lit(PEOPLE)})`.execute(db);
  }
  const [first] = (
    await sql<{ p: number; c: number }>`select (select min(id) from person) as p,
    (select min(id) from community) as c`.execute(db)
  ).rows;
  const p0 = Number(first?.p) - 1;
  const c0 = Number(first?.c) - 1;
  const div = isPostgres(db) ? sql`div(i - 1, ${sql.lit(PER_PERSON)})` : sql`(i - 1) / ${sql.lit(PER_PERSON)}`;
  // invited over the last year (a scramble of i, so time order is not row order), emailed at once
  const at = sql.raw(`(${NOW - YEAR} + ((i * 7919) % ${INVITATIONS}) * ${Math.floor(YEAR / INVITATIONS)})`);
  const started = performance.now();
  await sql`insert into membership (community_id, person_id, state, role, source, invited_by, invited_at, email_status,
      emailed_at, created_at, updated_at, reminders_sent)
    select ${sql.lit(c0)} + ((${div} * 7 + ((i - 1) % ${sql.lit(PER_PERSON)}) * 251) % ${sql.lit(COMMUNITIES)}) + 1,
      ${sql.lit(p0)} + ${div} + 1, 'invited', 'member', 'direct', ${sql.lit(p0)} + 1 + (i % ${sql.lit(INVITERS)}),
      ${at}, 'sent', ${at}, ${at}, ${at}, 0
    from ${series(db, INVITATIONS)}`.execute(db);
  // then their steps, a statement each, as transitions: delivered, opened, signed in, joined or ended
  const hour = 3_600_000;
  const pick = (mod: number, below: number) => sql.raw(`(person_id * 31 + community_id) % ${mod} < ${below}`);
  await sql`update membership set delivered_at = invited_at + ${sql.lit(hour)}, email_status = 'sent' where ${pick(100, 90)}`.execute(
    db,
  );
  await sql`update membership set opened_at = invited_at + ${sql.lit(2 * hour)} where ${pick(100, 60)}`.execute(db);
  await sql`update membership set signed_in_at = invited_at + ${sql.lit(3 * hour)} where ${pick(100, 50)}`.execute(db);
  await sql`update membership set state = 'joined', joined_at = invited_at + ${sql.lit(4 * hour)},
    updated_at = invited_at + ${sql.lit(4 * hour)} where ${pick(100, 40)}`.execute(db);
  await sql`update membership set state = 'left', ended_by = 'decline', updated_at = invited_at + ${sql.lit(DAY)}
    where state = 'invited' and ${pick(100, 50)}`.execute(db);
  await sql`update membership set state = 'removed', ended_by = 'expire', updated_at = invited_at + ${sql.lit(30 * DAY)}
    where state = 'invited' and ${pick(100, 60)} and invited_at < ${sql.lit(NOW - 30 * DAY)}`.execute(db);
  const seconds = (performance.now() - started) / 1000;
  await sql`analyze`.execute(db);
  return seconds;
}

interface Prepared {
  readonly url: string;
  readonly seedSeconds: number | null;
  drop(): Promise<void>;
}

async function prepare(dialect: Dialect): Promise<Prepared> {
  const key = cacheKey();
  fs.mkdirSync(benchDataDir, { recursive: true });
  let seedSeconds: number | null = null;
  const seedInto = async (url: string) => {
    const handle = createDb(url);
    await migrateToLatest(handle.db);
    log(`seeding ${INVITATIONS.toLocaleString('en')} invitations (cached for later runs)…`);
    seedSeconds = await seed(handle.db);
    log(`seeded in ${seedSeconds.toFixed(1)} s`);
    await handle.close();
  };
  if (dialect === 'sqlite') {
    const cached = path.join(benchDataDir, `insights-${key}.db`);
    if (!fs.existsSync(cached)) {
      fs.rmSync(`${cached}.tmp`, { force: true });
      await seedInto(`sqlite:${cached}.tmp`);
      fs.renameSync(`${cached}.tmp`, cached);
    }
    const copy = path.join(os.tmpdir(), `bench-insights-${crypto.randomBytes(4).toString('hex')}.db`);
    fs.copyFileSync(cached, copy);
    return {
      url: `sqlite:${copy}`,
      seedSeconds,
      drop: async () => {
        for (const s of ['', '-wal', '-shm']) fs.rmSync(copy + s, { force: true });
      },
    };
  }
  const admin = benchPgAdminUrl() as string;
  const withDb = (name: string) => {
    const u = new URL(admin);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const template = `convene_bench_insights_${key}`;
  const run = `convene_bench_insights_run_${crypto.randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  if (!(await client.query('select 1 from pg_database where datname = $1', [template])).rowCount) {
    await client.query(`DROP DATABASE IF EXISTS ${template}_tmp WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${template}_tmp`);
    await seedInto(withDb(`${template}_tmp`));
    await client.query(`ALTER DATABASE ${template}_tmp RENAME TO ${template}`);
  }
  await client.query(`CREATE DATABASE ${run} TEMPLATE ${template}`);
  await client.end();
  const runClient = new pg.Client({ connectionString: withDb(run) });
  await runClient.connect();
  await runClient.query('VACUUM ANALYZE');
  await runClient.end();
  return {
    url: withDb(run),
    seedSeconds,
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${run} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function runOn(dialect: Dialect): Promise<BenchFigure[]> {
  const site = await prepare(dialect);
  const config = loadConfig(
    { NODE_ENV: 'production', DATABASE_URL: site.url, LOG_LEVEL: 'silent', WORKER: 'false' },
    { secret: 'bench-secret-0123456789abcdef0123456789abcdef', dataDir: os.tmpdir() },
  );
  const clock: Clock = { now: () => NOW };
  const runtime = await createRuntime(config, { clock });
  const { ctx } = runtime;
  const figures: BenchFigure[] = [];
  try {
    const adminRow = await ctx.db.selectFrom('person').select('id').where('is_admin', '=', 1).executeTakeFirstOrThrow();
    const cookie = `${sessionCookieName(config)}=${(await createSession(ctx, ctx.db, adminRow.id)).token}`;
    const communities = (await ctx.db.selectFrom('community').select('id').execute()).map((c) => c.id);
    const app = await build(ctx, { webRoot: null });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const check = await fetch(`${address}/api/admin/insights`, { headers: { cookie } });
      const body = (await check.json()) as { funnel: { invited: number } };
      if (body.funnel.invited !== INVITATIONS)
        throw new Error(`the dashboard counts ${body.funnel.invited} invitations`);
      // CPU time of this process (the app and the load generator share it) per request: unlike
      // the latencies, it hardly moves with other load on the machine.
      const cpuPerRequest = (since: NodeJS.CpuUsage, requests: number) => {
        const used = process.cpuUsage(since);
        return round((used.user + used.system) / 1000 / Math.max(1, requests), 2);
      };
      let cpu = process.cpuUsage();
      const insights = await runLoad({
        url: `${address}/api/communities/1/insights`,
        connections: 10,
        headers: { cookie },
        setupRequest: (req, n) => ({
          ...req,
          path: `/api/communities/${communities[(n * 7919) % communities.length]}/insights`,
        }),
      });
      const insightsCpu = cpuPerRequest(cpu, insights.requests);
      cpu = process.cpuUsage();
      const dashboard = await runLoad({ url: `${address}/api/admin/insights`, connections: 10, headers: { cookie } });
      const dashboardCpu = cpuPerRequest(cpu, dashboard.requests);
      const load = os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
      const note = `10 clients; load average ${load}; target p95 < 50 ms`;
      figures.push(
        { name: 'insights_tab.p95_ms', value: insights.p95, unit: 'ms', db: dialect, note },
        { name: 'insights_tab.rps', value: insights.rps, unit: 'req/s', db: dialect },
        {
          name: 'insights_tab.cpu_ms_per_request',
          value: insightsCpu,
          unit: 'ms',
          db: dialect,
          note: 'this process: the app and the load generator',
        },
        {
          name: 'insights_tab.errors',
          value: insights.errors + unexpectedStatuses(insights),
          unit: 'count',
          db: dialect,
        },
        { name: 'insights_dashboard.p95_ms', value: dashboard.p95, unit: 'ms', db: dialect, note },
        { name: 'insights_dashboard.rps', value: dashboard.rps, unit: 'req/s', db: dialect },
        {
          name: 'insights_dashboard.cpu_ms_per_request',
          value: dashboardCpu,
          unit: 'ms',
          db: dialect,
          note: 'this process: the app and the load generator',
        },
        {
          name: 'insights_dashboard.errors',
          value: dashboard.errors + unexpectedStatuses(dashboard),
          unit: 'count',
          db: dialect,
        },
      );
      if (site.seedSeconds !== null)
        figures.push({
          name: 'insights_seed_through_triggers_s',
          value: round(site.seedSeconds, 1),
          unit: 's',
          db: dialect,
          note: `${INVITATIONS.toLocaleString('en')} invitations inserted, then 6 set-based step updates`,
        });
    } finally {
      await app.close();
    }
  } finally {
    await runtime.close();
    await site.drop();
  }
  return figures;
}

const only = process.env.BENCH_INSIGHTS_DB;

export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  if (only !== 'postgres') figures.push(...(await runOn('sqlite')));
  if (benchPgAdminUrl() && only !== 'sqlite') figures.push(...(await runOn('postgres')));
  return figures;
}
