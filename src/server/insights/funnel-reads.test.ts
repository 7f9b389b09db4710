/**
 * The funnel's reads over `funnel_counter`: the admin dashboard ranks communities and inviters by
 * their invitations summed over every slot (a PostgreSQL backend writes its own), and each read
 * is a range of an index, never a scan of the counters. Both databases.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { FunnelScopeKind, FunnelStep } from '../../shared/insights.js';
import { isPostgres } from '../db/db.js';
import { listFunnelScopes, readFunnel, readFunnelAndWeeks } from '../memberships/index.js';
import { buildCommunity, buildPerson } from '../testing/factories.js';
import { explainQuery, recordQueries, sqlOf } from '../testing/query-plans.js';
import { describeEachDb } from '../testing/test-db.js';

const WEEK = 604_800_000;
/** A Monday 00:00 UTC. */
const MONDAY = Date.UTC(2026, 10, 30);

interface Counter {
  readonly kind: FunnelScopeKind;
  readonly id: number;
  readonly step: FunnelStep;
  readonly n: number;
  readonly slot?: number;
  readonly week?: number;
}

describeEachDb('the funnel counters’ reads', (t) => {
  const put = async (rows: Counter[]) =>
    t()
      .ctx.db.insertInto('funnel_counter')
      .values(
        rows.map((r) => ({
          scope_kind: r.kind,
          scope_id: r.id,
          step: r.step,
          n: r.n,
          slot: r.slot ?? 0,
          week: r.week ?? 0,
        })),
      )
      .execute();

  it('ranks communities by invitations summed over the slots, ties by id, and leaves out those with none', async () => {
    const { ctx } = t();
    const [a, b, c, d] = [
      await buildCommunity(ctx, { name: 'Alpha' }),
      await buildCommunity(ctx, { name: 'Beta' }),
      await buildCommunity(ctx, { name: 'Gamma' }),
      await buildCommunity(ctx, { name: 'Delta' }),
    ];
    await put([
      // Alpha: 2 + 5 over two slots = 7; Beta: 6 in one; Gamma: 7 (ties with Alpha, a higher id)
      { kind: 'community', id: a.id, step: 'invited', n: 2, slot: 1 },
      { kind: 'community', id: a.id, step: 'invited', n: 5, slot: 2 },
      { kind: 'community', id: a.id, step: 'joined', n: 3, slot: 2 },
      { kind: 'community', id: a.id, step: 'joined', n: 1, slot: 3 },
      { kind: 'community', id: b.id, step: 'invited', n: 6 },
      { kind: 'community', id: b.id, step: 'declined', n: 2 },
      { kind: 'community', id: c.id, step: 'invited', n: 7 },
      // Delta's invitations were all taken back (an undo): +3 and -3 in two slots
      { kind: 'community', id: d.id, step: 'invited', n: 3, slot: 1 },
      { kind: 'community', id: d.id, step: 'invited', n: -3, slot: 2 },
      // a week's row and another kind's are not all-time community counts
      { kind: 'community', id: b.id, step: 'invited', n: 100, week: MONDAY },
      { kind: 'data_job', id: d.id, step: 'invited', n: 100 },
    ]);

    const rows = await listFunnelScopes(ctx.db, 'community', 50);
    expect(rows.map((r) => [r.name, r.funnel.invited])).toEqual([
      ['Alpha', 7],
      ['Gamma', 7],
      ['Beta', 6],
    ]);
    expect(rows[0]?.funnel).toMatchObject({ invited: 7, joined: 4, declined: 0 });
    expect(rows[2]?.funnel).toMatchObject({ invited: 6, declined: 2, joined: 0 });
    expect((await listFunnelScopes(ctx.db, 'community', 2)).map((r) => r.name)).toEqual(['Alpha', 'Gamma']);
  });

  it('names inviters, and reads a scope’s all-time counts and weeks summed over the slots', async () => {
    const { ctx } = t();
    const inviter = await buildPerson(ctx, { firstName: 'Ada', lastName: 'Lovelace' });
    await put([
      { kind: 'inviter', id: inviter.id, step: 'invited', n: 4, slot: 1 },
      { kind: 'inviter', id: inviter.id, step: 'invited', n: 1, slot: 5 },
      { kind: 'inviter', id: inviter.id, step: 'emailed', n: 3, slot: 1 },
      { kind: 'inviter', id: inviter.id, step: 'invited', n: 4, slot: 1, week: MONDAY },
      { kind: 'inviter', id: inviter.id, step: 'invited', n: 1, slot: 5, week: MONDAY + WEEK },
      { kind: 'inviter', id: inviter.id, step: 'emailed', n: 3, slot: 2, week: MONDAY + WEEK },
      { kind: 'inviter', id: inviter.id, step: 'emailed', n: 9, slot: 2, week: MONDAY - WEEK },
    ]);
    expect(await listFunnelScopes(ctx.db, 'inviter', 50)).toEqual([
      { id: inviter.id, name: 'Ada Lovelace', funnel: expect.objectContaining({ invited: 5, emailed: 3 }) },
    ]);
    expect(await readFunnel(ctx.db, 'inviter', inviter.id)).toMatchObject({ invited: 5, emailed: 3, joined: 0 });
    const { funnel, weeks } = await readFunnelAndWeeks(ctx.db, 'inviter', inviter.id, MONDAY);
    expect(funnel).toMatchObject({ invited: 5, emailed: 3, joined: 0 });
    expect(weeks.map((w) => [w.week, w.funnel.invited, w.funnel.emailed])).toEqual([
      [MONDAY, 4, 0],
      [MONDAY + WEEK, 1, 3],
    ]);
  });

  it('reads every counter through an index range: the ranking by (kind, week, step), a scope by (kind, scope)', async () => {
    const { ctx } = t();
    const community = await buildCommunity(ctx);
    // enough scopes and weeks, with statistics, that each database plans as it would for a site
    const steps: FunnelStep[] = ['invited', 'emailed', 'joined'];
    for (let first = 0; first < 2000; first += 500) {
      const rows: Counter[] = [];
      for (let id = first; id < first + 500; id++)
        for (const step of steps)
          for (const week of [0, MONDAY, MONDAY + WEEK])
            rows.push({ kind: 'community', id: 10_000 + id, step, n: 1, week });
      await put(rows);
    }
    await sql`ANALYZE funnel_counter`.execute(ctx.db);
    const queries = await recordQueries(ctx.db, async (db) => {
      await listFunnelScopes(db, 'community', 50);
      await readFunnel(db, 'community', community.id);
      await readFunnelAndWeeks(db, 'community', community.id, MONDAY);
    });
    // the statements sent: a subquery or a union's arm is recorded on its own as well
    const texts = queries.map((q) => sqlOf(ctx.db, q).replace(/\$\d+/g, '?'));
    const onCounters = queries.filter(
      (_, i) =>
        texts[i]?.includes('"funnel_counter"') &&
        !texts.some((other, j) => j !== i && other !== texts[i] && other.includes(texts[i] ?? '')),
    );
    expect(onCounters).toHaveLength(3);
    const seeks: string[][] = [];
    for (const q of onCounters) {
      const { access, plan } = await explainQuery(ctx.db, q, 'funnel_counter');
      for (const a of access) expect(a.index, plan).not.toBeNull();
      seeks.push(access.map((a) => a.seek.split(',').sort().join(',')));
    }
    // the ranking seeks the key's (kind, week 0, 'invited') prefix, then each chosen scope its own range
    expect(seeks[0]?.sort()).toEqual(['scope_id,scope_kind,week', 'scope_kind,step,week']);
    // a scope's all-time counts: one range; with its weeks: two
    expect(seeks[1]).toEqual(['scope_id,scope_kind,week']);
    // (PostgreSQL's plan names only equalities: the weeks' range seeks (kind, scope) there)
    expect(seeks[2]).toEqual([
      'scope_id,scope_kind,week',
      expect.stringMatching(isPostgres(ctx.db) ? /^scope_id,scope_kind$/ : /^scope_id,scope_kind,week$/),
    ]);
  });
});
