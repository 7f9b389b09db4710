import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { addMembership, buildCommunity, buildPerson } from '../../../testing/factories.js';
import { useTestApp } from '../../../testing/test-app.js';
import { describeEachDb } from '../../../testing/test-db.js';
import { runNextJob } from '../../../jobs/runner.js';
import { processDataJob } from '../../engine/process.js';
import type { PersonRow } from '../../../db/schema.js';
import { adminCookie, invitationsAgainstLog, logTotals, readLog, runJob, upload } from '../../test-support.js';
import { InviteLookAhead } from '../../lookup/look-ahead.js';
import { inviteKind } from './invite.kind.js';
import type { RowOutcome } from '../../engine/job-kind.js';
import { KeySet } from '../../engine/key-set.js';
import { dryRunLimits } from '../../engine/limits.js';
import type { Mapping } from '../../engine/mapping.js';
import { registries } from '../../../modules.js';

const byUniqueId = { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' };

describeEachDb('data tools: invite members to community', (t) => {
  const app = useTestApp(t);

  it('gives every row its outcome and reason, invites without email, and counts them', async () => {
    const ctx = t().ctx;
    const { cookie, adminId } = await adminCookie(ctx);
    const c1 = await buildCommunity(ctx);
    const c2 = await buildCommunity(ctx, { privacy: 'invite_only' });
    const active = await buildPerson(ctx, { uniqueId: 'A-1' });
    const pre = await buildPerson(ctx, { uniqueId: 'P-1', status: 'pre_verified', preverificationId: 900001 });
    const invitedStatus = await buildPerson(ctx, { uniqueId: 'I-1', status: 'invited' });
    await buildPerson(ctx, { uniqueId: 'X-1', status: 'inactive' });
    await buildPerson(ctx, { uniqueId: 'W-1', status: 'pending' });
    const member = await buildPerson(ctx, { uniqueId: 'M-1' });
    await addMembership(ctx, c1.id, member.id, 'joined');
    const open = await buildPerson(ctx, { uniqueId: 'O-1' });
    await addMembership(ctx, c1.id, open.id, 'invited');
    const left = await buildPerson(ctx, { uniqueId: 'L-1' });
    await addMembership(ctx, c1.id, left.id, 'left');
    const file = [
      'Community ID,Unique ID',
      `${c1.id},A-1`,
      `${c2.id}, A-1 `,
      `${c1.id},P-1`,
      `${c1.id},I-1`,
      `${c1.id},X-1`,
      `${c1.id},W-1`,
      `${c1.id},M-1`,
      `${c1.id},O-1`,
      `${c1.id},L-1`,
      `${c1.id},NOPE`,
      '999999,A-1',
      'abc,A-1',
      `${c1.id},`,
      `${c1.id},A-1`,
    ].join('\r\n');
    const job = await runJob(app(), ctx, cookie, { type: 'invite_to_community', file, mapping: byUniqueId });
    expect(job.status).toBe('completed');
    expect(job.counters.outcomes).toEqual({ invited: 5, already_member: 1, already_invited: 1, skipped: 7 });
    expect(job.counters.reasons).toEqual({
      person_inactive: 1,
      person_pending: 1,
      unknown_person: 1,
      unknown_community: 1,
      invalid_community_id: 1,
      invalid_id: 1,
      duplicate_row: 1,
    });
    expect(job.dryRun.outcomes).toEqual(job.counters.outcomes);
    expect(job.dryRun.reasons).toEqual(job.counters.reasons);
    expect(job.dryRun.samples.unknown_person).toEqual([{ rowNumber: 11, values: [String(c1.id), 'NOPE'] }]);
    expect(job.progress).toMatchObject({ done: 14, total: 14, secondsLeft: 0 });

    const results = (
      await app().inject({ url: `/api/admin/data-jobs/${job.id}/results?limit=500`, headers: { cookie } })
    ).json();
    expect(
      results.items.map((r: { rowNumber: number; outcome: string; reason: string | null }) => [
        r.rowNumber,
        r.reason ?? r.outcome,
      ]),
    ).toEqual([
      [2, 'invited'],
      [3, 'invited'],
      [4, 'invited'],
      [5, 'invited'],
      [6, 'person_inactive'],
      [7, 'person_pending'],
      [8, 'already_member'],
      [9, 'already_invited'],
      [10, 'invited'],
      [11, 'unknown_person'],
      [12, 'unknown_community'],
      [13, 'invalid_community_id'],
      [14, 'invalid_id'],
      [15, 'duplicate_row'],
    ]);
    // An invited row has no result row: its person and community are its invitation's.
    type Item = { rowNumber: number; personId: number | null; communityId: number | null };
    const named = (items: Item[]) => items.map((r) => [r.rowNumber, r.personId, r.communityId]);
    expect(named(results.items.filter((r: Item & { outcome: string }) => r.outcome !== 'skipped'))).toEqual([
      [2, active.id, c1.id],
      [3, active.id, c2.id],
      [4, pre.id, c1.id],
      [5, invitedStatus.id, c1.id],
      [8, member.id, c1.id],
      [9, open.id, c1.id],
      [10, left.id, c1.id],
    ]);
    const invitedOnly = (
      await app().inject({ url: `/api/admin/data-jobs/${job.id}/results?outcome=invited&limit=2`, headers: { cookie } })
    ).json();
    expect(named(invitedOnly.items)).toEqual([
      [2, active.id, c1.id],
      [3, active.id, c2.id],
    ]);
    const rest = (
      await app().inject({
        url: `/api/admin/data-jobs/${job.id}/results?outcome=invited&cursor=${invitedOnly.nextCursor}`,
        headers: { cookie },
      })
    ).json();
    expect(rest).toMatchObject({ items: [{ rowNumber: 4 }, { rowNumber: 5 }, { rowNumber: 10 }], nextCursor: null });
    // Rows 6–9 are not invited: the log reads on, window after window, to the next invited row.
    const past = (
      await app().inject({
        url: `/api/admin/data-jobs/${job.id}/results?outcome=invited&limit=1&cursor=5`,
        headers: { cookie },
      })
    ).json();
    expect(past).toMatchObject({ items: [{ rowNumber: 10, outcome: 'invited', personId: left.id }], nextCursor: null });
    const end = (
      await app().inject({
        url: `/api/admin/data-jobs/${job.id}/results?outcome=invited&limit=1&cursor=10`,
        headers: { cookie },
      })
    ).json();
    expect(end).toEqual({ items: [], nextCursor: null });
    const members = (
      await app().inject({ url: `/api/admin/data-jobs/${job.id}/results?outcome=already_member`, headers: { cookie } })
    ).json();
    expect(named(members.items)).toEqual([[8, member.id, c1.id]]);
    expect(await invitationsAgainstLog(ctx, job.id)).toEqual({ unbacked: 0, doubled: 0, strays: 0 });

    const invitations = await ctx.db
      .selectFrom('membership')
      .selectAll()
      .where('data_job_id', '=', job.id)
      .orderBy('person_id')
      .orderBy('community_id')
      .execute();
    expect(
      invitations.map((m) => [m.community_id, m.person_id, m.state, m.source, m.invited_by, m.email_status]),
    ).toEqual(
      [
        [c1.id, active.id, 'invited', 'data_job', adminId, 'not_sent'],
        [c2.id, active.id, 'invited', 'data_job', adminId, 'not_sent'],
        [c1.id, pre.id, 'invited', 'data_job', adminId, 'pre_verified'],
        [c1.id, invitedStatus.id, 'invited', 'data_job', adminId, 'not_sent'],
        [c1.id, left.id, 'invited', 'data_job', adminId, 'not_sent'],
      ].sort((a, b) => Number(a[1]) - Number(b[1]) || Number(a[0]) - Number(b[0])),
    );
    const untouched = await ctx.db
      .selectFrom('membership')
      .select(['state', 'source'])
      .where('community_id', '=', c1.id)
      .where('person_id', 'in', [member.id, open.id])
      .orderBy('person_id')
      .execute();
    expect(untouched.map((m) => m.source)).toEqual(
      ['admin', 'direct'].filter((s) => untouched.some((m) => m.source === s)),
    );
    const emails = await ctx.db.selectFrom('email_outbox').select('id').execute();
    expect(emails).toEqual([]);
  });

  it('runs on the job runner once started', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const c = await buildCommunity(ctx);
    await buildPerson(ctx, { uniqueId: 'RUN-1' });
    const up = (
      await upload(app(), cookie, { type: 'invite_to_community', file: `Community ID,Unique ID\n${c.id},RUN-1\n` })
    ).json();
    await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${up.id}/mapping`,
      headers: { cookie },
      payload: byUniqueId,
    });
    expect(
      (await app().inject({ method: 'POST', url: `/api/admin/data-jobs/${up.id}/start`, headers: { cookie } })).json()
        .status,
    ).toBe('queued');
    const again = await app().inject({
      method: 'POST',
      url: `/api/admin/data-jobs/${up.id}/start`,
      headers: { cookie },
    });
    expect(again.json().error.code).toBe('job_state');
    while (await runNextJob(ctx, { workerId: 'test-worker', handlers: registries.jobHandlers })) {
      /* until the queue is empty */
    }
    const job = (await app().inject({ url: `/api/admin/data-jobs/${up.id}`, headers: { cookie } })).json();
    expect(job).toMatchObject({ status: 'completed', counters: { outcomes: { invited: 1 } } });
  });

  it('never runs a batch twice when two workers process one job at once', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const c = await buildCommunity(ctx);
    const people = await Promise.all(Array.from({ length: 30 }, (_, i) => buildPerson(ctx, { uniqueId: `TW-${i}` })));
    const file = `Community ID,Unique ID\n${people.map((p) => `${c.id},${p.unique_id}`).join('\n')}\n${c.id},TW-0\n`;
    const up = (await upload(app(), cookie, { type: 'invite_to_community', file })).json();
    await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${up.id}/mapping`,
      headers: { cookie },
      payload: byUniqueId,
    });
    await app().inject({ method: 'POST', url: `/api/admin/data-jobs/${up.id}/start`, headers: { cookie } });
    const ends = await Promise.all([
      processDataJob(ctx, up.id, { batchSize: 3 }),
      processDataJob(ctx, up.id, { batchSize: 4 }),
    ]);
    expect(ends).toEqual(['completed', 'completed']);
    const job = (await app().inject({ url: `/api/admin/data-jobs/${up.id}`, headers: { cookie } })).json();
    expect(job.counters).toEqual({ outcomes: { invited: 30, skipped: 1 }, reasons: { duplicate_row: 1 } });
    expect((await readLog(ctx, up.id)).map((r) => r.row_number)).toEqual(Array.from({ length: 31 }, (_, i) => i + 2));
    expect(await invitationsAgainstLog(ctx, up.id)).toEqual({ unbacked: 0, doubled: 0, strays: 0 });
  });

  it('answers HTTP requests while a job runs in the same process (progress polls)', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const c = await buildCommunity(ctx);
    await buildPerson(ctx, { uniqueId: 'POLL-1' });
    const file = `Community ID,Unique ID\n${Array.from({ length: 3000 }, (_, i) => `${c.id},${i % 7 ? 'POLL-1' : 'NOBODY'}`).join('\n')}\n`;
    const up = (await upload(app(), cookie, { type: 'invite_to_community', file })).json();
    await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${up.id}/mapping`,
      headers: { cookie },
      payload: byUniqueId,
    });
    await app().inject({ method: 'POST', url: `/api/admin/data-jobs/${up.id}/start`, headers: { cookie } });
    const address = await app().listen({ port: 0, host: '127.0.0.1' });
    const running = processDataJob(ctx, up.id, { batchSize: 100 });
    const seen: number[] = [];
    for (;;) {
      // A real socket: answered only when the event loop gets a turn.
      const job = (await (await fetch(`${address}/api/admin/data-jobs/${up.id}`, { headers: { cookie } })).json()) as {
        status: string;
        progress: { done: number };
      };
      seen.push(job.progress.done);
      if (job.status === 'completed') break;
    }
    expect(await running).toBe('completed');
    expect(seen.some((done) => done > 0 && done < 3000)).toBe(true);
  });

  it('reads Pre-verification IDs and Profile IDs, by column index', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const c = await buildCommunity(ctx);
    const a = await buildPerson(ctx, { preverificationId: 700001 });
    const b = await buildPerson(ctx);
    const byPre = await runJob(app(), ctx, cookie, {
      type: 'invite_to_community',
      hasHeader: false,
      file: `${c.id},700001\n${c.id},7x\n${c.id},700999\n`,
      mapping: { keyColumn: 2, keyType: 'preverification_id', communityColumn: '1' },
    });
    expect(byPre.counters).toEqual({
      outcomes: { invited: 1, skipped: 2 },
      reasons: { invalid_id: 1, unknown_person: 1 },
    });
    const byProfile = await runJob(app(), ctx, cookie, {
      type: 'invite_to_community',
      file: `Person,Group\n${b.id},${c.id}\n${a.id},${c.id}\n`,
      mapping: { keyColumn: 'person', keyType: 'profile_id', communityColumn: 'GROUP' },
    });
    expect(byProfile.counters.outcomes).toEqual({ invited: 1, already_invited: 1 });
  });

  it('invites nobody the second time the same file runs', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const c = await buildCommunity(ctx);
    const people = await Promise.all([1, 2, 3].map((i) => buildPerson(ctx, { uniqueId: `T2-${i}` })));
    const file = `Community ID,Unique ID\n${people.map((p) => `${c.id},${p.unique_id}`).join('\n')}\n`;
    const first = await runJob(app(), ctx, cookie, { type: 'invite_to_community', file, mapping: byUniqueId });
    expect(first.counters.outcomes).toEqual({ invited: 3 });
    const second = await runJob(app(), ctx, cookie, { type: 'invite_to_community', file, mapping: byUniqueId });
    expect(second.counters.outcomes).toEqual({ already_invited: 3 });
    const rows = await ctx.db.selectFrom('membership').select('data_job_id').where('community_id', '=', c.id).execute();
    expect(rows.map((r) => r.data_job_id)).toEqual([first.id, first.id, first.id]);
  });

  it('decides by the site as it is when the batch writes, not as the dry run saw it', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const c = await buildCommunity(ctx);
    const joins = await buildPerson(ctx, { uniqueId: 'J-1' });
    const leaves = await buildPerson(ctx, { uniqueId: 'L-2' });
    await addMembership(ctx, c.id, leaves.id, 'joined');
    const invited = await buildPerson(ctx, { uniqueId: 'V-1' });
    const up = await upload(app(), cookie, {
      type: 'invite_to_community',
      file: `Community ID,Unique ID\n${c.id},J-1\n${c.id},L-2\n${c.id},V-1\n`,
    });
    const id = up.json().id as number;
    const mapped = await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${id}/mapping`,
      headers: { cookie },
      payload: byUniqueId,
    });
    expect(mapped.json().dryRun.outcomes).toEqual({ invited: 2, already_member: 1 });
    // Between the dry run and the run: one joins, one leaves, one is invited by a leader.
    await addMembership(ctx, c.id, joins.id, 'joined');
    await ctx.db
      .updateTable('membership')
      .set({ state: 'left' })
      .where('community_id', '=', c.id)
      .where('person_id', '=', leaves.id)
      .execute();
    await addMembership(ctx, c.id, invited.id, 'invited');
    await app().inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/start`, headers: { cookie } });
    await processDataJob(ctx, id);
    const job = (await app().inject({ url: `/api/admin/data-jobs/${id}`, headers: { cookie } })).json();
    expect(job.counters.outcomes).toEqual({ already_member: 1, invited: 1, already_invited: 1 });
    const states = await ctx.db
      .selectFrom('membership')
      .select(['person_id', 'state', 'data_job_id'])
      .where('community_id', '=', c.id)
      .orderBy('person_id')
      .execute();
    expect(states).toEqual([
      { person_id: joins.id, state: 'joined', data_job_id: null },
      { person_id: leaves.id, state: 'invited', data_job_id: id },
      { person_id: invited.id, state: 'invited', data_job_id: null },
    ]);
    // The run skipped SQLite's per-row foreign-key probes; the connection checks them again after.
    await expect(addMembership(ctx, c.id, 987654321, 'invited')).rejects.toThrow(/foreign key/i);
  });

  it('settles a batch slice by slice: repeats across slices, every row one result, one invitation per pair', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const communities = await Promise.all(Array.from({ length: 100 }, () => buildCommunity(ctx)));
    const people = await Promise.all(Array.from({ length: 200 }, (_, i) => buildPerson(ctx, { uniqueId: `S-${i}` })));
    await addMembership(ctx, communities[0]!.id, people[0]!.id, 'joined');
    // 20,000 distinct pairs, then 5,000 repeats of the first rows: a default batch spans three slices.
    const pair = (i: number) => `${communities[i % 100]!.id},S-${Math.floor(i / 100) % 200}`;
    const lines = Array.from({ length: 25_000 }, (_, i) => pair(i % 20_000));
    const job = await runJob(app(), ctx, cookie, {
      type: 'invite_to_community',
      file: `Community ID,Unique ID\n${lines.join('\n')}\n`,
      mapping: byUniqueId,
    });
    expect(job.counters).toEqual({
      outcomes: { already_member: 1, invited: 19_999, skipped: 5_000 },
      reasons: { duplicate_row: 5_000 },
    });
    expect(job.dryRun.outcomes).toEqual(job.counters.outcomes);
    expect(await logTotals(ctx, job.id)).toEqual({ ...job.counters, rows: 25_000 });
    expect(await invitationsAgainstLog(ctx, job.id)).toEqual({ unbacked: 0, doubled: 0, strays: 0 });
    const invited = await ctx.db
      .selectFrom('membership')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('data_job_id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(Number(invited.n)).toBe(19_999);
  });

  it('looks rows up on a second thread (SQLite) with the same decisions as the main thread', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const c = await buildCommunity(ctx);
    const member = await buildPerson(ctx, { uniqueId: 'T-M' });
    await addMembership(ctx, c.id, member.id, 'joined');
    const open = await buildPerson(ctx, { uniqueId: 'T-O' });
    await addMembership(ctx, c.id, open.id, 'invited');
    await buildPerson(ctx, { uniqueId: 'T-A' });
    await buildPerson(ctx, { uniqueId: 'T-P', status: 'pre_verified', preverificationId: 910001 });
    await buildPerson(ctx, { uniqueId: 'T-X', status: 'inactive' });
    const file = `Community ID,Unique ID\n${[`${c.id},T-M`, `${c.id},T-O`, `${c.id},T-A`, `${c.id}, T-P `, `${c.id},T-X`, `${c.id},T-A`, `${c.id},nobody`, '99999,T-A', 'x,T-A'].join('\n')}\n`;
    const up = await upload(app(), cookie, { type: 'invite_to_community', file });
    const id = up.json().id as number;
    await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${id}/mapping`,
      headers: { cookie },
      payload: byUniqueId,
    });
    const job = await ctx.db.selectFrom('data_job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const mapping = JSON.parse(job.mapping ?? '{}') as Mapping;
    const here = await inviteKind.runBatch(ctx.db, {
      ctx,
      job,
      mapping,
      from: 2,
      to: 10,
      loadRows: async () => [],
      seen: new KeySet(),
      apply: false,
      now: 0,
    });
    const decideAhead = await inviteKind.lookAhead?.(ctx, job, mapping, 2, 10);
    if (t().dialect === 'postgres') {
      expect(decideAhead).toBeNull();
      return;
    }
    const there: RowOutcome[] = [];
    decideAhead?.(new KeySet(), (outcomes) => there.push(...outcomes));
    expect(there.map((o) => o.reason ?? o.outcome)).toEqual([
      'already_member',
      'already_invited',
      'invited',
      'invited',
      'person_inactive',
      'duplicate_row',
      'unknown_person',
      'unknown_community',
      'invalid_community_id',
    ]);
    expect(there).toEqual(here);
  });

  it('dry-runs a large file in two halves (SQLite: on two look-up threads) and carries repeats across them', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const communities = [await buildCommunity(ctx), await buildCommunity(ctx)];
    const people = await Promise.all(Array.from({ length: 50 }, (_, i) => buildPerson(ctx, { uniqueId: `H-${i}` })));
    await addMembership(ctx, communities[1]!.id, people[7]!.id, 'joined');
    // 100 distinct pairs, all within the first 100 rows; every later row repeats one, but for one unknown person.
    const rows = dryRunLimits.threadRows;
    const lines = Array.from({ length: rows }, (_, i) =>
      i === rows - 3 ? `${communities[0]!.id},nobody` : `${communities[Math.floor(i / 50) % 2]!.id},H-${i % 50}`,
    );
    const up = await upload(app(), cookie, {
      type: 'invite_to_community',
      file: `Community ID,Unique ID\n${lines.join('\n')}\n`,
    });
    const id = up.json().id as number;
    const mapped = await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${id}/mapping`,
      headers: { cookie },
      payload: byUniqueId,
    });
    expect(mapped.statusCode).toBe(200);
    const dryRun = mapped.json().dryRun;
    expect(dryRun.outcomes).toEqual({ invited: 99, already_member: 1, skipped: rows - 100 });
    expect(dryRun.reasons).toEqual({ duplicate_row: rows - 101, unknown_person: 1 });
    expect(dryRun.samples.unknown_person).toEqual([
      { rowNumber: rows - 1, values: [String(communities[0]!.id), 'nobody'] },
    ]);
    // Row 102 repeats row 2, which the other half decided.
    expect(dryRun.samples.duplicate_row[0]).toEqual({
      rowNumber: 102,
      values: [String(communities[0]!.id), 'H-0'],
      duplicateOf: 2,
    });
  });

  /** Six new people (Unique IDs `<prefix>-0`…`-5`), one community, an uploaded and mapped job inviting each. */
  async function mappedJobInvitingSix(prefix: string): Promise<{ id: number; people: PersonRow[]; cookie: string }> {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const c = await buildCommunity(ctx);
    const people: PersonRow[] = [];
    for (let i = 0; i < 6; i++) people.push(await buildPerson(ctx, { uniqueId: `${prefix}-${i}` }));
    const file = `Community ID,Unique ID\n${people.map((p) => `${c.id},${p.unique_id}`).join('\n')}\n`;
    const id = (await upload(app(), cookie, { type: 'invite_to_community', file })).json().id as number;
    await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${id}/mapping`,
      headers: { cookie },
      payload: byUniqueId,
    });
    return { id, people, cookie };
  }

  it('looks the next batch up while one writes, and (SQLite) looks it up again when a person changed in between', async () => {
    const ctx = t().ctx;
    const { id, people } = await mappedJobInvitingSix('LA');
    const job = await ctx.db.selectFrom('data_job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const mapping = JSON.parse(job.mapping ?? '{}') as Mapping;
    const ahead = await inviteKind.openLookAhead?.(ctx, ctx.db, job, mapping);
    expect(ahead).toBeInstanceOf(InviteLookAhead);
    const session = ahead as InviteLookAhead;
    const seen = new KeySet();
    const batch = (from: number, to: number, next: { from: number; to: number } | null) =>
      ctx.db.transaction().execute((trx) =>
        inviteKind.runBatch(trx, {
          ctx,
          job,
          mapping,
          from,
          to,
          loadRows: async () => [],
          seen,
          apply: true,
          now: 1,
          ahead: session,
          next,
        }),
      );
    try {
      const first = await batch(2, 3, { from: 4, to: 5 });
      const second = await batch(4, 5, { from: 6, to: 7 });
      expect([...first, ...second].map((o) => [o.rowNumber, o.outcome, o.personId])).toEqual(
        [2, 3, 4, 5].map((n) => [n, 'invited', people[n - 2]?.id]),
      );
      expect([session.used, session.refused]).toEqual([1, 0]);
      // Rows 6–7 have been looked up ahead; then the person of row 6 is deactivated.
      await session.whenLookedUp();
      await ctx.db
        .updateTable('person')
        .set({ status: 'inactive' })
        .where('id', '=', people[4]?.id ?? 0)
        .execute();
      const third = await batch(6, 7, null);
      if (t().dialect === 'sqlite') {
        // The batch's transaction reads another directory version: it looks the rows up again.
        expect([session.used, session.refused]).toEqual([1, 1]);
        expect(third.map((o) => o.reason ?? o.outcome)).toEqual(['person_inactive', 'invited']);
      } else {
        // PostgreSQL decides by the look-up made while the previous batch wrote (README, "Look-ahead").
        expect([session.used, session.refused]).toEqual([2, 0]);
        expect(third.map((o) => o.reason ?? o.outcome)).toEqual(['invited', 'invited']);
      }
    } finally {
      await session.close();
    }
    const written = await ctx.db
      .selectFrom('membership')
      .select('person_id')
      .where('data_job_id', '=', id)
      .orderBy('person_id')
      .execute();
    expect(written.length).toBe(t().dialect === 'sqlite' ? 5 : 6);
  });

  it('leaves WAL checkpoints to the look-up thread while a run has one, and gives them back after (SQLite)', async () => {
    const ctx = t().ctx;
    const { id, cookie } = await mappedJobInvitingSix('WC');
    await app().inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/start`, headers: { cookie } });
    const autocheckpoint = async () =>
      t().dialect === 'sqlite'
        ? Number(
            Object.values(
              (await sql<Record<string, number>>`PRAGMA wal_autocheckpoint`.execute(ctx.db)).rows[0] ?? {},
            )[0],
          )
        : null;
    const during: (number | null)[] = [];
    expect(
      await processDataJob(ctx, id, {
        batchSize: 2,
        heartbeat: async () => {
          during.push(await autocheckpoint());
        },
      }),
    ).toBe('completed');
    const after = await autocheckpoint();
    if (t().dialect === 'sqlite') {
      expect(during).toEqual([0, 0]);
      expect(after).toBe(1000);
    } else {
      expect([during, after]).toEqual([[null, null], null]);
    }
    const invited = await ctx.db.selectFrom('membership').select('person_id').where('data_job_id', '=', id).execute();
    expect(invited.length).toBe(6);
  });

  it('remembers a mapping for the same headers and offers it again', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const file = 'Group number,Campus key,Other\n1,2,3\n';
    const up = (await upload(app(), cookie, { type: 'invite_to_community', file })).json();
    expect(up.suggestedMapping).toBeNull();
    const mapped = await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${up.id}/mapping`,
      headers: { cookie },
      payload: { keyColumn: 'Campus key', keyType: 'unique_id', communityColumn: 'Group number' },
    });
    expect(mapped.json()).toMatchObject({
      status: 'mapped',
      mapping: { keyColumn: 2, keyType: 'unique_id', communityColumn: 1 },
    });
    const again = (
      await upload(app(), cookie, { type: 'invite_to_community', file: 'group number, campus key ,other\n5,6,7\n' })
    ).json();
    expect(again).toMatchObject({
      suggestedMapping: { keyColumn: 2, keyType: 'unique_id', communityColumn: 1 },
      mappingRemembered: true,
    });
  });

  it('refuses a mapping that names no column or misses a field, and a start before mapping', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const up = (
      await upload(app(), cookie, { type: 'invite_to_community', file: 'Community ID,Unique ID\n1,2\n' })
    ).json();
    const put = (payload: object) =>
      app().inject({ method: 'PUT', url: `/api/admin/data-jobs/${up.id}/mapping`, headers: { cookie }, payload });
    const missing = await put({ keyColumn: 'Email', keyType: 'unique_id', communityColumn: 1 });
    expect(missing.json().error).toMatchObject({ code: 'mapping_invalid', details: { field: 'keyColumn' } });
    expect((await put({ keyColumn: 2, keyType: 'unique_id' })).json().error.details).toEqual({
      field: 'communityColumn',
    });
    expect((await put({ keyColumn: 3, keyType: 'unique_id', communityColumn: 1 })).statusCode).toBe(400);
    const start = await app().inject({
      method: 'POST',
      url: `/api/admin/data-jobs/${up.id}/start`,
      headers: { cookie },
    });
    expect(start.json().error.code).toBe('job_state');
    expect((await app().inject({ url: '/api/admin/data-jobs/999999', headers: { cookie } })).statusCode).toBe(404);
  });

  it('cancels at the next batch and keeps what is done', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const c = await buildCommunity(ctx);
    const people = await Promise.all(Array.from({ length: 6 }, (_, i) => buildPerson(ctx, { uniqueId: `CX-${i}` })));
    const up = (
      await upload(app(), cookie, {
        type: 'invite_to_community',
        file: `Community ID,Unique ID\n${people.map((p) => `${c.id},${p.unique_id}`).join('\n')}\n`,
      })
    ).json();
    await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${up.id}/mapping`,
      headers: { cookie },
      payload: byUniqueId,
    });
    await app().inject({ method: 'POST', url: `/api/admin/data-jobs/${up.id}/start`, headers: { cookie } });
    const controller = new AbortController();
    // Two batches of two rows, then the process "leaves".
    let batches = 0;
    await expect(
      processDataJob(ctx, up.id, {
        batchSize: 2,
        heartbeat: async () => {
          if (++batches === 2) controller.abort();
        },
        signal: controller.signal,
      }),
    ).rejects.toThrow();
    const running = (await app().inject({ url: `/api/admin/data-jobs/${up.id}`, headers: { cookie } })).json();
    expect(running).toMatchObject({ status: 'running', progress: { done: 4, total: 6 } });
    const canceled = await app().inject({
      method: 'POST',
      url: `/api/admin/data-jobs/${up.id}/cancel`,
      headers: { cookie },
    });
    expect(canceled.json().status).toBe('running');
    expect(await processDataJob(ctx, up.id, { batchSize: 2 })).toBe('canceled');
    const job = (await app().inject({ url: `/api/admin/data-jobs/${up.id}`, headers: { cookie } })).json();
    expect(job).toMatchObject({ status: 'canceled', counters: { outcomes: { invited: 4 } }, progress: { done: 4 } });
    expect(
      await ctx.db.selectFrom('membership').select('person_id').where('data_job_id', '=', up.id).execute(),
    ).toHaveLength(4);
    // The log holds the rows done, and no more.
    expect((await readLog(ctx, up.id)).map((r) => [r.row_number, r.outcome])).toEqual([
      [2, 'invited'],
      [3, 'invited'],
      [4, 'invited'],
      [5, 'invited'],
    ]);
    const csv = await app().inject({ url: `/api/admin/data-jobs/${up.id}/results.csv`, headers: { cookie } });
    expect(csv.body.split('\r\n')).toHaveLength(1 + 4 + 1);
    const again = await app().inject({
      method: 'POST',
      url: `/api/admin/data-jobs/${up.id}/cancel`,
      headers: { cookie },
    });
    expect(again.json().error.code).toBe('job_state');
  });

  it('cancels a job before it runs, and undoes only the still-open invitations of a job', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const up = (
      await upload(app(), cookie, { type: 'invite_to_community', file: 'Community ID,Unique ID\n1,2\n' })
    ).json();
    expect(
      (await app().inject({ method: 'POST', url: `/api/admin/data-jobs/${up.id}/cancel`, headers: { cookie } })).json()
        .status,
    ).toBe('canceled');

    const c = await buildCommunity(ctx);
    const people = await Promise.all([1, 2, 3].map((i) => buildPerson(ctx, { uniqueId: `UN-${i}` })));
    const job = await runJob(app(), ctx, cookie, {
      type: 'invite_to_community',
      file: `Community ID,Unique ID\n${people.map((p) => `${c.id},${p.unique_id}`).join('\n')}\n`,
      mapping: byUniqueId,
    });
    expect(job.canUndo).toBe(true);
    await ctx.db
      .updateTable('membership')
      .set({ state: 'joined' })
      .where('person_id', '=', people[0].id)
      .where('community_id', '=', c.id)
      .execute();
    const undone = await app().inject({
      method: 'POST',
      url: `/api/admin/data-jobs/${job.id}/undo`,
      headers: { cookie },
    });
    expect(undone.json().counters.revoked).toBe(2);
    const left = await ctx.db
      .selectFrom('membership')
      .select(['person_id', 'state'])
      .where('community_id', '=', c.id)
      .execute();
    expect(left).toEqual([{ person_id: people[0].id, state: 'joined' }]);
    // The log still says what the job did; an undone invitation no longer names its person.
    expect((await readLog(ctx, job.id)).map((r) => [r.row_number, r.outcome, r.person_id])).toEqual([
      [2, 'invited', people[0].id],
      [3, 'invited', null],
      [4, 'invited', null],
    ]);
  });

  it('lists jobs newest first with who and counts, and pages and filters the log', async () => {
    const ctx = t().ctx;
    const { cookie, adminId } = await adminCookie(ctx);
    const c = await buildCommunity(ctx);
    await buildPerson(ctx, { uniqueId: 'LOG-1' });
    t().clock.advance(1000);
    const job = await runJob(app(), ctx, cookie, {
      type: 'invite_to_community',
      file: `Community ID,Unique ID\n${c.id},LOG-1\n${c.id},"=HYPERLINK(""x"")"\n${c.id},LOG-1\n`,
      mapping: byUniqueId,
    });
    const list = (await app().inject({ url: '/api/admin/data-jobs?limit=1', headers: { cookie } })).json();
    expect(list.items[0]).toMatchObject({
      id: job.id,
      type: 'invite_to_community',
      fileName: 'people.csv',
      status: 'completed',
      rowCount: 3,
      createdBy: { id: adminId },
    });
    expect(list.nextCursor).toEqual(expect.any(String));
    const next = (
      await app().inject({ url: `/api/admin/data-jobs?limit=1&cursor=${list.nextCursor}`, headers: { cookie } })
    ).json();
    expect(next.items[0].id).toBeLessThan(job.id);

    const skipped = (
      await app().inject({ url: `/api/admin/data-jobs/${job.id}/results?outcome=skipped&limit=1`, headers: { cookie } })
    ).json();
    expect(skipped.items).toEqual([
      {
        rowNumber: 3,
        values: [String(c.id), '=HYPERLINK("x")'],
        outcome: 'skipped',
        reason: 'unknown_person',
        personId: null,
        communityId: c.id,
        duplicateOf: null,
      },
    ]);
    const page2 = (
      await app().inject({
        url: `/api/admin/data-jobs/${job.id}/results?outcome=skipped&limit=1&cursor=${skipped.nextCursor}`,
        headers: { cookie },
      })
    ).json();
    expect(page2).toMatchObject({
      items: [{ rowNumber: 4, reason: 'duplicate_row', duplicateOf: 2 }],
      nextCursor: null,
    });

    const csv = await app().inject({ url: `/api/admin/data-jobs/${job.id}/results.csv`, headers: { cookie } });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')).toEqual([
      'Row,Community ID,Unique ID,Outcome,Reason,Reason in words',
      `2,${c.id},LOG-1,invited,,`,
      `3,${c.id},"'=HYPERLINK(""x"")",skipped,unknown_person,Unknown person ID`,
      `4,${c.id},LOG-1,skipped,duplicate_row,Duplicate of row 2`,
      '',
    ]);
  });
});
