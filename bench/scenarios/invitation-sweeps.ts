/**
 * The invitation lifecycle's sweeps over 1,000,000 open invitations (250,000 people, four
 * communities each, of 1,000), seeded with set-based SQL in a fresh database: SQLite always,
 * PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set. Timed through the sweeps
 * the periodic jobs run:
 * - a day's share due (1/30 of the invitations): what a sweep finds after a day without one;
 * - nothing due: a sweep's cost with 1,000,000 open invitations and none due;
 * - all 1,000,000 due at once: the catch-up after reminders or expiry were switched on.
 * Target: each under 60 s on both databases.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createRuntime } from '../../src/server/bootstrap.js';
import type { Clock } from '../../src/server/clock.js';
import { loadConfig } from '../../src/server/config.js';
import type { AppContext } from '../../src/server/context.js';
import { type Db, isPostgres } from '../../src/server/db/db.js';
import { sweepExpiredInvitations } from '../../src/server/invitations/invitation-expiry.service.js';
import { sweepInvitationReminders } from '../../src/server/invitations/invitation-reminder.service.js';
import { type BenchFigure, round } from '../lib/figures.js';
import { benchPgAdminUrl } from '../lib/site.js';

const INVITATIONS = Number(process.env.BENCH_SWEEP_INVITATIONS ?? 1_000_000);
const PER_PERSON = 4;
const PEOPLE = Math.ceil(INVITATIONS / PER_PERSON);
const COMMUNITIES = 1000;
const DAY = 24 * 60 * 60 * 1000;
/** The bench's "now": a fixed time, so that the seeds and the sweeps agree without a real clock. */
const NOW = Date.UTC(2027, 0, 15, 12);

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** 1..n as a FROM item: PostgreSQL's generate_series; a recursive CTE on SQLite, which has none. */
const series = (db: Db, n: number) =>
  isPostgres(db)
    ? sql`generate_series(1::bigint, ${sql.lit(n)}) as s(i)`
    : sql`(with recursive r(i) as (select 1 union all select i + 1 from r where i < ${sql.lit(n)}) select i from r) as s`;

async function seedSite(db: Db): Promise<void> {
  await sql`insert into community (name, slug, headline, description, privacy, created_at, updated_at)
    select 'Community ' || i, 'community-' || i, 'Headline ' || i, '', 'invite_only', ${sql.lit(NOW)}, ${sql.lit(NOW)}
    from ${series(db, COMMUNITIES)}`.execute(db);
  // PostgreSQL's tab-count trigger bumps one counter row per person: a single statement writing
  // 250,000 versions of one row takes minutes there, so the seed counts them once instead.
  if (isPostgres(db)) await sql`alter table person disable trigger person_count_trg`.execute(db);
  await sql`insert into person (email, first_name, last_name, name_key, last_name_key, status, created_at, updated_at, activated_at)
    select 'person' || i || '@bench.test', 'Person', '' || i, 'person ' || i, '' || i, 'active',
      ${sql.lit(NOW)}, ${sql.lit(NOW)}, ${sql.lit(NOW)}
    from ${series(db, PEOPLE)}`.execute(db);
  if (isPostgres(db)) {
    await sql`alter table person enable trigger person_count_trg`.execute(db);
    await sql`select person_count_bump('active', ${sql.lit(PEOPLE)})`.execute(db);
  }
}

/**
 * 1,000,000 open invitations, emailed: invitation i goes to person ⌈i/4⌉ in four distinct
 * communities; `nextReminder` and `expires` are SQL over i (1-based) giving each one's times.
 */
async function seedInvitations(db: Db, nextReminder: string, expires: string): Promise<void> {
  const started = performance.now();
  await sql`delete from membership`.execute(db);
  const [first] = (
    await sql<{ p: number; c: number }>`select (select min(id) from person) as p,
    (select min(id) from community) as c`.execute(db)
  ).rows;
  const p0 = Number(first?.p) - 1;
  const c0 = Number(first?.c) - 1;
  const div = isPostgres(db) ? sql`div(i - 1, ${sql.lit(PER_PERSON)})` : sql`(i - 1) / ${sql.lit(PER_PERSON)}`;
  await sql`insert into membership (community_id, person_id, state, role, source, invited_at, email_status,
      created_at, updated_at, expires_at, next_reminder_at, reminders_sent)
    select ${sql.lit(c0)} + ((${div} * 7 + ((i - 1) % ${sql.lit(PER_PERSON)}) * 251) % ${sql.lit(COMMUNITIES)}) + 1,
      ${sql.lit(p0)} + ${div} + 1, 'invited', 'member', 'direct', ${sql.lit(NOW - 20 * DAY)}, 'sent',
      ${sql.lit(NOW - 20 * DAY)}, ${sql.lit(NOW - 20 * DAY)}, ${sql.raw(expires)}, ${sql.raw(nextReminder)}, 0
    from ${series(db, INVITATIONS)}`.execute(db);
  // A live site has planner statistics (autovacuum; SQLite's ANALYZE at the bench site's build).
  await sql`analyze`.execute(db);
  log(
    `seeded ${INVITATIONS.toLocaleString('en')} invitations in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/**
 * i spread evenly over [from, from + span) by a multiplicative scramble (a prime below 10,000,
 * `scramble`), so that time order is not row order and two spreads are independent.
 */
const spread = (from: number, span: number, scramble = 7919) =>
  `(${from} + ((i * ${scramble}) % ${INVITATIONS}) * ${Math.floor(span / INVITATIONS)})`;

/**
 * Elapsed seconds, and the CPU seconds of this process (on SQLite, the sweep's whole work; on
 * PostgreSQL, the client's share): on a shared machine the elapsed time follows its load, the CPU
 * time much less.
 */
async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; cpuSeconds: number; result: T }> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, result };
}

async function measure(databaseUrl: string, db: 'sqlite' | 'postgres'): Promise<BenchFigure[]> {
  const config = loadConfig(
    { NODE_ENV: 'production', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' },
    { secret: 'bench-secret-0123456789abcdef0123456789abcdef', dataDir: os.tmpdir() },
  );
  const clock: Clock = { now: () => NOW };
  const runtime = await createRuntime(config, { clock });
  const ctx: AppContext = runtime.ctx;
  const figures: BenchFigure[] = [];
  const fig = (name: string, seconds: number, note: string) =>
    figures.push({ name, value: round(seconds, 2), unit: 's', db, note });
  try {
    await seedSite(ctx.db);
    // A day's share: reminders and expiries spread evenly over the 30 days around now.
    await seedInvitations(ctx.db, spread(NOW - DAY, 30 * DAY), spread(NOW - DAY, 30 * DAY, 6007));
    const none = await timed(() => sweepInvitationReminders({ ...ctx, clock: { now: () => NOW - 2 * DAY } }));
    fig('reminder_sweep.nothing_due_s', none.seconds, `${none.result.emails} emails`);
    const remindDay = await timed(() => sweepInvitationReminders(ctx));
    fig(
      'reminder_sweep.day_due_s',
      remindDay.seconds,
      `${remindDay.result.invitations} invitations, ${remindDay.result.emails} emails`,
    );
    const expireNone = await timed(() => sweepExpiredInvitations({ ...ctx, clock: { now: () => NOW - 2 * DAY } }));
    fig('expiry_sweep.nothing_due_s', expireNone.seconds, `${expireNone.result} expired`);
    const expireDay = await timed(() => sweepExpiredInvitations(ctx));
    fig('expiry_sweep.day_due_s', expireDay.seconds, `${expireDay.result} expired`);

    // Everything due at once: every reminder, then every expiry.
    await seedInvitations(ctx.db, spread(NOW - DAY, DAY), spread(NOW + DAY, DAY));
    await sql`delete from email_outbox`.execute(ctx.db);
    const remindAll = await timed(() => sweepInvitationReminders(ctx));
    fig(
      'reminder_sweep.all_due_s',
      remindAll.seconds,
      `${remindAll.result.invitations} invitations, ${remindAll.result.emails} emails`,
    );
    fig('reminder_sweep.all_due_cpu_s', remindAll.cpuSeconds, 'CPU time of the process');
    const expireAll = await timed(() => sweepExpiredInvitations({ ...ctx, clock: { now: () => NOW + 2 * DAY } }));
    fig('expiry_sweep.all_due_s', expireAll.seconds, `${expireAll.result} expired`);
    fig('expiry_sweep.all_due_cpu_s', expireAll.cpuSeconds, 'CPU time of the process');
    return figures;
  } finally {
    await runtime.close();
  }
}

/** BENCH_SWEEP_DB=sqlite or postgres runs one database only. */
const only = process.env.BENCH_SWEEP_DB;

export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  if (only !== 'postgres') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sweeps-'));
    try {
      figures.push(...(await measure(`sqlite:${path.join(dir, 'sweeps.db')}`, 'sqlite')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const pgAdmin = benchPgAdminUrl();
  if (pgAdmin && only !== 'sqlite') {
    const name = `convene_bench_sweeps_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgAdmin });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(pgAdmin);
      url.pathname = `/${name}`;
      figures.push(...(await measure(url.toString(), 'postgres')));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
  return figures;
}
