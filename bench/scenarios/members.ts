/**
 * Admin Members tabs on a site of 1,000,000 people (SQLite): first pages, deep keyset pages and
 * searches by name, last name, email, Unique ID, Pre-verification ID and Profile ID, timed
 * through the service the API calls (listPeoplePage: the page plus every tab's count).
 * Target: p95 < 20 ms on SQLite. PostgreSQL figures are printed when a URL is set.
 */
import os from 'node:os';
import { sql } from 'kysely';
import { createRuntime } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import { listPeoplePage } from '../../src/server/people/people.service.js';
import { personTabs, type PersonTab } from '../../src/shared/people.js';
import { type BenchFigure, percentile, round, timeMany } from '../lib/figures.js';
import { benchPgAdminUrl, prepareBenchSite } from '../lib/site.js';

const PEOPLE = Number(process.env.BENCH_MEMBERS_PEOPLE ?? 1_000_000);

/** SQLite always; PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set. */
export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const dialect of benchPgAdminUrl() ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const))
    figures.push(...(await runOn(dialect)));
  return figures;
}

async function runOn(dialect: 'sqlite' | 'postgres'): Promise<BenchFigure[]> {
  const site = await prepareBenchSite(dialect, { people: PEOPLE, communities: 1000 });
  const config = loadConfig(
    { NODE_ENV: 'production', DATABASE_URL: site.url, LOG_LEVEL: 'silent' },
    { secret: 'bench-secret-0123456789abcdef0123456789', dataDir: os.tmpdir() },
  );
  const runtime = await createRuntime(config);
  const { ctx } = runtime;
  try {
    // A live PostgreSQL has statistics (autovacuum analyzes); a freshly copied bench database has none.
    if (dialect === 'postgres') await sql`analyze`.execute(ctx.db);
    // Search terms taken from real rows, spread over the table.
    const step = Math.floor(PEOPLE / 200) + 7;
    const sample = await ctx.db
      .selectFrom('person')
      .select(['id', 'first_name', 'last_name', 'email', 'unique_id', 'preverification_id', 'status'])
      .where((eb) => eb(eb.fn('mod', ['id', eb.val(step)]), '=', 0))
      .where('first_name', '!=', '')
      .limit(200)
      .execute();
    const tabOf = (s: string): PersonTab =>
      (personTabs as readonly string[]).includes(s) ? (s as PersonTab) : 'active';
    const searches: Record<string, { tab: PersonTab; q: string }[]> = {
      name: sample.map((p) => ({ tab: tabOf(p.status), q: `${p.first_name} ${p.last_name.slice(0, 3)}` })),
      last_name: sample.map((p) => ({ tab: tabOf(p.status), q: p.last_name })),
      email: sample
        .filter((p) => p.email)
        .map((p) => ({ tab: tabOf(p.status), q: p.email!.slice(0, p.email!.indexOf('@')) })),
      unique_id: sample.filter((p) => p.unique_id).map((p) => ({ tab: tabOf(p.status), q: p.unique_id! })),
      preverification_id: sample
        .filter((p) => p.preverification_id)
        .map((p) => ({ tab: tabOf(p.status), q: String(p.preverification_id) })),
      profile_id: sample.map((p) => ({ tab: tabOf(p.status), q: String(p.id) })),
    };

    const figures: BenchFigure[] = [];
    const fig = (name: string, value: number, unit = 'ms') => figures.push({ name, value, unit, db: dialect });

    // First page of every tab, in turn.
    const first = await timeMany(300, (i) => listPeoplePage(ctx, { tab: personTabs[i % personTabs.length] }));
    fig('members_first_page.p50_ms', first.p50);
    fig('members_first_page.p95_ms', first.p95);

    // Walk deep into the Active tab: pages 1..200 by cursor, then time pages from saved cursors.
    const cursors: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 200; i++) {
      const page = await listPeoplePage(ctx, { tab: 'active', cursor });
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
      cursors.push(cursor);
    }
    const deep = await timeMany(300, (i) =>
      listPeoplePage(ctx, { tab: 'active', cursor: cursors[(i * 37) % cursors.length] }),
    );
    const allPages = [...first.samples, ...deep.samples];
    fig('members_page.p50_ms', round(percentile(allPages, 50)));
    fig('members_page.p95_ms', round(percentile(allPages, 95)));

    const allSearch: number[] = [];
    for (const [kind, list] of Object.entries(searches)) {
      if (!list.length) continue;
      const r = await timeMany(Math.max(100, list.length), (i) =>
        listPeoplePage(ctx, { tab: list[i % list.length].tab, q: list[i % list.length].q }),
      );
      fig(`members_search_${kind}.p95_ms`, r.p95);
      allSearch.push(...r.samples);
    }
    fig('members_search.p50_ms', round(percentile(allSearch, 50)));
    fig('members_search.p95_ms', round(percentile(allSearch, 95)));

    // Short, broad prefixes are the worst case for the last-name and email branches.
    const broad = await timeMany(100, (i) =>
      listPeoplePage(ctx, { tab: 'active', q: ['sm', 'jo', 'an', 'ma', 'li'][i % 5] }),
    );
    fig('members_search_broad.p95_ms', broad.p95);
    return figures;
  } finally {
    await runtime.close();
    await site.drop();
  }
}
