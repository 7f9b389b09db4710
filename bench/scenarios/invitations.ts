/**
 * Direct invitations on a site of 1,000,000 people (SQLite; PostgreSQL too when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL is set), timed through the services the API
 * calls: the invite dialog's typeahead (searchPeople; target p95 < 10 ms) and a 250-recipient
 * invite (inviteToCommunity: 150 site people by ID + 100 new addresses, emails queued in the
 * outbox, not sent; target p95 < 150 ms).
 */
import os from 'node:os';
import type { Caller } from '../../src/server/http/caller.js';
import { createRuntime } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import { inviteToCommunity } from '../../src/server/invitations/invitation.service.js';
import { searchPeople } from '../../src/server/invitations/people-search.js';
import { type BenchFigure, timeMany } from '../lib/figures.js';
import type { Dialect } from '../../src/server/db/db.js';
import { benchPgAdminUrl, prepareBenchSite } from '../lib/site.js';

const PEOPLE = Number(process.env.BENCH_INVITATIONS_PEOPLE ?? 1_000_000);

export async function run(): Promise<BenchFigure[]> {
  const figures = await runOn('sqlite');
  if (benchPgAdminUrl()) figures.push(...(await runOn('postgres')));
  return figures;
}

async function runOn(dialect: Dialect): Promise<BenchFigure[]> {
  const site = await prepareBenchSite(dialect, { people: PEOPLE, communities: 1000 });
  const config = loadConfig(
    { NODE_ENV: 'production', DATABASE_URL: site.url, LOG_LEVEL: 'silent', WORKER: 'false' },
    { secret: 'bench-secret-0123456789abcdef0123456789', dataDir: os.tmpdir() },
  );
  const runtime = await createRuntime(config);
  const { ctx } = runtime;
  try {
    const now = Date.now();
    const admin = await ctx.db
      .insertInto('person')
      .values({
        email: 'bench-inviter@example.org',
        first_name: 'Bench',
        last_name: 'Inviter',
        name_key: 'bench inviter',
        last_name_key: 'inviter',
        status: 'active',
        is_admin: 1,
        unique_id: null,
        preverification_id: null,
        member_type_id: null,
        invite_token_hash: null,
        created_at: now,
        updated_at: now,
        activated_at: now,
        last_sign_in_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const caller: Caller = { person: admin, via: 'session', sessionId: null, tokenId: null };
    const communities = (await ctx.db.selectFrom('community').select('id').orderBy('id').execute()).map((c) => c.id);

    // Typeahead terms from real rows spread over the table: 2–6 letters of a first name, a last name, an email.
    const step = Math.max(1, Math.floor(PEOPLE / 300));
    const sample = await ctx.db
      .selectFrom('person')
      .select(['id', 'first_name', 'last_name', 'email'])
      .where((eb) => eb(eb.fn('mod', ['id', eb.val(step)]), '=', 0))
      .where('first_name', '!=', '')
      .limit(300)
      .execute();
    const terms = sample.flatMap((p, i) => {
      const n = 2 + (i % 5);
      return [
        p.first_name.slice(0, n),
        p.last_name.slice(0, n),
        `${p.first_name} ${p.last_name.slice(0, 2)}`,
        ...(p.email ? [p.email.slice(0, n)] : []),
      ];
    });
    const search = await timeMany(1000, (i) =>
      searchPeople(ctx, caller, { q: terms[i % terms.length], communityId: communities[i % communities.length] }),
    );

    // 250 recipients per invite: 150 active people by ID, 100 addresses the site does not know.
    const active = (
      await ctx.db
        .selectFrom('person')
        .select('id')
        .where('status', '=', 'active')
        .where('is_admin', '=', 0)
        .orderBy('id')
        .limit(150 * 60)
        .execute()
    ).map((p) => p.id);
    let batch = 0;
    const invite = await timeMany(
      50,
      async () => {
        const b = batch++;
        const personIds = active.slice((b * 150) % active.length, ((b * 150) % active.length) + 150);
        const emails = Array.from(
          { length: 250 - personIds.length },
          (_, i) => `bench-new-${b}-${i}@invite.example.org`,
        ).join('\n');
        const answer = await inviteToCommunity(ctx, caller, communities[(b * 7) % communities.length], {
          personIds,
          emails,
          message: 'Join us!',
          sendEmail: true,
        });
        if (answer.summary.invited + answer.summary.alreadyInvited + answer.summary.skipped !== 250)
          throw new Error('unexpected invite answer');
      },
      10,
    );

    return [
      { name: 'people_search.p50_ms', value: search.p50, unit: 'ms', db: dialect },
      { name: 'people_search.p95_ms', value: search.p95, unit: 'ms', db: dialect, note: 'target < 10 ms' },
      { name: 'invite_250.p50_ms', value: invite.p50, unit: 'ms', db: dialect },
      { name: 'invite_250.p95_ms', value: invite.p95, unit: 'ms', db: dialect, note: 'target < 150 ms' },
    ];
  } finally {
    await runtime.close();
    await site.drop();
  }
}
