import { expect, it } from 'vitest';
import { ensureMemberType } from '../../people/member-type.repository.js';
import { addMembership, buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../../testing/factories.js';
import { useTestApp } from '../../testing/test-app.js';
import { describeEachDb } from '../../testing/test-db.js';
import { adminCookie, peopleByUniqueId, runJob } from '../test-support.js';

describeEachDb('data tools: pre-verify, deactivate, reactivate', (t) => {
  const app = useTestApp(t);

  it('pre-verifies new people, updates known ones, and skips rows by reason', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const alumni = await ensureMemberType(ctx.db, 'Alumni', ctx.clock.now());
    const known = await buildPerson(ctx, { uniqueId: 'K-1', email: 'known@example.edu' });
    const byEmail = await buildPerson(ctx, { email: 'mail-only@example.edu', uniqueId: null });
    await buildPerson(ctx, { email: 'taken@example.edu', uniqueId: 'T-9' });
    const file = [
      'Unique ID,First Name,Last Name,Email,Member Type',
      'N-1,Ada,Lovelace,Ada@Example.edu,alumni ',
      ',Grace,Hopper,grace@example.edu,',
      'K-1,Known,Renamed,,Alumni',
      'M-1,Mail,Only,mail-only@example.edu,',
      ',,,,',
      'N-2,Bad,Email,not-an-email,',
      `N-3,${'x'.repeat(51)},Long,,`,
      'N-4,Odd,Type,,Martian',
      'N-1,Ada,Again,,',
      'N-5,Takes,Email,taken@example.edu,',
    ].join('\n');
    const job = await runJob(app(), ctx, cookie, { type: 'preverify', file, mapping: peopleByUniqueId });
    expect(job.status).toBe('completed');
    expect(job.counters).toEqual({
      outcomes: { created: 2, updated: 2, skipped: 6 },
      reasons: {
        missing_id_and_email: 1,
        invalid_email: 1,
        name_too_long: 1,
        unknown_member_type: 1,
        duplicate_row: 1,
        email_taken: 1,
      },
    });
    expect(job.dryRun.outcomes).toEqual(job.counters.outcomes);
    const ada = await ctx.db.selectFrom('person').selectAll().where('unique_id', '=', 'N-1').executeTakeFirstOrThrow();
    expect(ada).toMatchObject({
      status: 'pre_verified',
      email: 'ada@example.edu',
      first_name: 'Ada',
      member_type_id: alumni.id,
    });
    expect(ada.preverification_id).toEqual(expect.any(Number));
    expect(ada.invite_token_hash).toMatch(/^[0-9a-f]{64}$/);
    const grace = await ctx.db
      .selectFrom('person')
      .selectAll()
      .where('email', '=', 'grace@example.edu')
      .executeTakeFirstOrThrow();
    expect(grace.preverification_id).toBe(Number(ada.preverification_id) + 1);
    const renamed = await ctx.db.selectFrom('person').selectAll().where('id', '=', known.id).executeTakeFirstOrThrow();
    expect(renamed).toMatchObject({
      last_name: 'Renamed',
      email: 'known@example.edu',
      status: 'active',
      member_type_id: alumni.id,
    });
    const mailOnly = await ctx.db
      .selectFrom('person')
      .selectAll()
      .where('id', '=', byEmail.id)
      .executeTakeFirstOrThrow();
    expect(mailOnly.unique_id).toBe('M-1');
  });

  it('deactivates people: sessions end, open invitations close; reactivation does not reopen them', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const c = await buildCommunity(ctx);
    const p = await buildPerson(ctx, { uniqueId: 'D-1' });
    await addMembership(ctx, c.id, p.id, 'invited');
    const session = await sessionCookie(ctx, p.id);
    await buildPerson(ctx, { uniqueId: 'D-2', status: 'inactive' });
    await buildPerson(ctx, { uniqueId: 'D-3', status: 'pending' });
    const file = 'Unique ID\nD-1\nD-2\nD-3\nD-404\nD-1\n';
    const job = await runJob(app(), ctx, cookie, {
      type: 'deactivate',
      file,
      mapping: { keyColumn: 'Unique ID', keyType: 'unique_id' },
    });
    expect(job.counters).toEqual({
      outcomes: { deactivated: 1, already_inactive: 1, skipped: 3 },
      reasons: { person_pending: 1, unknown_person: 1, duplicate_row: 1 },
    });
    expect(job.dryRun.outcomes).toEqual(job.counters.outcomes);
    expect((await app().inject({ url: '/api/me', headers: { cookie: session } })).statusCode).toBe(401);
    const m = await ctx.db
      .selectFrom('membership')
      .select('state')
      .where('person_id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(m.state).toBe('removed');

    const back = await runJob(app(), ctx, cookie, {
      type: 'reactivate',
      file: 'Unique ID\nD-1\nD-3\nD-404\n',
      mapping: { keyColumn: 1, keyType: 'unique_id' },
    });
    expect(back.counters).toEqual({
      outcomes: { reactivated: 1, skipped: 2 },
      reasons: { person_pending: 1, unknown_person: 1 },
    });
    const after = await ctx.db.selectFrom('person').select('status').where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('active');
    expect(
      (await ctx.db.selectFrom('membership').select('state').where('person_id', '=', p.id).executeTakeFirstOrThrow())
        .state,
    ).toBe('removed');
  });

  it('never deactivates the last active admin', async () => {
    const ctx = t().ctx;
    const admins = await ctx.db.selectFrom('person').select('id').where('is_admin', '=', 1).execute();
    await ctx.db
      .updateTable('person')
      .set({ is_admin: 0 })
      .where('id', 'in', admins.map((a) => a.id).concat(0))
      .execute();
    const only = await buildAdmin(ctx, { uniqueId: 'ADM-1' });
    const cookie = await sessionCookie(ctx, only.id);
    const job = await runJob(app(), ctx, cookie, {
      type: 'deactivate',
      file: 'Unique ID\nADM-1\n',
      mapping: { keyColumn: 1, keyType: 'unique_id' },
    });
    expect(job.counters.reasons).toEqual({ last_admin: 1 });
  });
});
