import { expect, it } from 'vitest';
import type { AppContext } from '../../context.js';
import type { CommunityRow, PersonRow } from '../../db/schema.js';
import { addMembership, buildCommunity, buildPerson } from '../../testing/factories.js';
import { describeEachDb } from '../../testing/test-db.js';
import { stageRows } from '../engine/bulk.repository.js';
import { insertUploadingDataJob } from '../engine/data-job.repository.js';
import type { Mapping } from '../engine/mapping.js';
import { inviteLookupOf } from './index.js';
import { packedRowReader, type ResolvedRow } from './lookup.js';

const byUniqueId: Mapping = { keyColumn: 2, keyType: 'unique_id', communityColumn: 1 };

/** A job whose rows 2… are `rows` (row 1 is the header). */
async function stagedJob(ctx: AppContext, createdBy: number, rows: readonly (readonly string[])[]): Promise<number> {
  const id = await insertUploadingDataJob(ctx.db, {
    type: 'invite_to_community',
    fileName: 'lookup.csv',
    hasHeader: true,
    createdBy,
    now: ctx.clock.now(),
  });
  await stageRows(ctx.db, id, 2, { json: JSON.stringify(rows), count: rows.length });
  return id;
}

/** A row as plain data (a packed reader hands out one reused object). */
function copy(r: ResolvedRow): ResolvedRow {
  return { ...r, person: r.person && { ...r.person } };
}

describeEachDb('data tools: the invite look-up', (t) => {
  let community: CommunityRow;
  let joined: PersonRow;
  let inactive: PersonRow;
  let jobId: number;

  it('looks a slice up by the key field, trims the values, and answers in row order', async () => {
    const ctx = t().ctx;
    const admin = await buildPerson(ctx);
    community = await buildCommunity(ctx);
    joined = await buildPerson(ctx, { uniqueId: 'LK-1' });
    inactive = await buildPerson(ctx, { uniqueId: 'LK-2', status: 'inactive' });
    await addMembership(ctx, community.id, joined.id, 'joined');
    const c = String(community.id);
    jobId = await stagedJob(ctx, admin.id, [
      [c, 'LK-2'],
      [` ${c}\t`, ' LK-1 '],
      ['x1', 'LK-1'],
      ['99999999', 'LK-1'],
      [c, 'nobody'],
      [c],
    ]);
    const lookup = inviteLookupOf(ctx.db);
    const range = { dataJobId: jobId, mapping: byUniqueId, from: 2, to: 7 };
    const dryRun = await lookup.resolve(ctx.db, { ...range, withStates: true });
    const cid = community.id;
    const found = (p: PersonRow) => ({ id: p.id, status: p.status });
    expect(dryRun).toEqual([
      { rowNumber: 2, communityId: cid, communityExists: true, keyValid: true, person: found(inactive), state: null },
      { rowNumber: 3, communityId: cid, communityExists: true, keyValid: true, person: found(joined), state: 'joined' },
      { rowNumber: 4, communityId: null, communityExists: false, keyValid: true, person: found(joined), state: null },
      {
        rowNumber: 5,
        communityId: 99999999,
        communityExists: false,
        keyValid: true,
        person: found(joined),
        state: null,
      },
      { rowNumber: 6, communityId: cid, communityExists: true, keyValid: true, person: null, state: null },
      { rowNumber: 7, communityId: cid, communityExists: true, keyValid: false, person: null, state: null },
    ]);
    // A run lets the write decide: no membership states.
    const run = await lookup.resolve(ctx.db, { ...range, withStates: false });
    expect(run).toEqual(dryRun.map((r) => ({ ...r, state: null })));
  });

  it('takes integer keys only when they are digits', async () => {
    const ctx = t().ctx;
    const c = String(community.id);
    const id = await stagedJob(ctx, joined.id, [
      [c, ` ${joined.id} `],
      [c, `${joined.id}x`],
      [c, '-1'],
    ]);
    const rows = await inviteLookupOf(ctx.db).resolve(ctx.db, {
      dataJobId: id,
      mapping: { ...byUniqueId, keyType: 'profile_id' },
      from: 2,
      to: 4,
      withStates: true,
    });
    // (A row whose key is not valid is skipped before its membership state matters.)
    expect(rows.map((r) => [r.keyValid, r.person?.id ?? null])).toEqual([
      [true, joined.id],
      [false, null],
      [false, null],
    ]);
    expect(rows[0]?.state).toBe('joined');
  });

  it('looks a dry run up beside the caller (SQLite: on a thread) as on the caller’s connection', async () => {
    const ctx = t().ctx;
    const lookup = inviteLookupOf(ctx.db);
    const range = { dataJobId: jobId, mapping: byUniqueId, from: 2, to: 7, withStates: true };
    const packed = await lookup.lookUpBeside(ctx, range);
    if (t().dialect === 'postgres') {
      // PostgreSQL looks two slices up at once on the pool instead.
      expect(packed).toBeNull();
      expect([
        lookup.slicesAtOnce(ctx.db),
        await ctx.db.transaction().execute(async (trx) => lookup.slicesAtOnce(trx)),
      ]).toEqual([2, 1]);
      return;
    }
    expect(lookup.slicesAtOnce(ctx.db)).toBe(1);
    expect(packed?.count).toBe(6);
    const read = packedRowReader(packed!);
    expect(Array.from({ length: 6 }, (_, i) => copy(read(i)))).toEqual(await lookup.resolve(ctx.db, range));
  });

  it('uses a range looked up ahead only while it still holds (SQLite: until the directory changes)', async () => {
    const ctx = t().ctx;
    const ahead = await inviteLookupOf(ctx.db).openAhead(ctx, ctx.db);
    expect(ahead).not.toBeNull();
    try {
      const looked = await ahead!.lookUp({ dataJobId: jobId, mapping: byUniqueId, from: 2, to: 7, withStates: false });
      expect(looked.rows.count).toBe(6);
      const read = packedRowReader(looked.rows);
      expect(copy(read(1))).toMatchObject({ rowNumber: 3, person: { id: joined.id, status: 'active' }, state: null });
      expect(await ctx.db.transaction().execute((trx) => ahead!.stillHolds(trx, looked))).toBe(true);
      await ctx.db.updateTable('person').set({ status: 'inactive' }).where('id', '=', joined.id).execute();
      // PostgreSQL decides by the look-up made while the previous batch wrote (README, "The look-up").
      expect(await ctx.db.transaction().execute((trx) => ahead!.stillHolds(trx, looked))).toBe(
        t().dialect === 'postgres',
      );
    } finally {
      await ahead?.close();
    }
  });
});
