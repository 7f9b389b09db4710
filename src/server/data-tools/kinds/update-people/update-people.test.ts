import { expect, it } from 'vitest';
import { ensureMemberType } from '../../../people/member-type.repository.js';
import { buildPerson } from '../../../testing/factories.js';
import { useTestApp } from '../../../testing/test-app.js';
import { describeEachDb } from '../../../testing/test-db.js';
import { adminCookie, peopleByUniqueId, readLog, runJob, upload } from '../../test-support.js';

const header = 'Unique ID,First Name,Last Name,Email,Member Type';

describeEachDb('data tools: update people', (t) => {
  const app = useTestApp(t);

  const person = (id: number) =>
    t().ctx.db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('updates the fields a row gives, leaves blank cells alone, and creates nobody', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const staff = await ensureMemberType(ctx.db, 'Faculty/Staff', ctx.clock.now());
    const pre = await buildPerson(ctx, { status: 'pre_verified', uniqueId: 'U-1', email: 'old@example.edu' });
    const active = await buildPerson(ctx, { uniqueId: 'U-2', firstName: 'Ann', lastName: 'Old' });
    const same = await buildPerson(ctx, { uniqueId: 'U-3', firstName: 'Sam', lastName: 'Same' });
    const before = await ctx.db
      .selectFrom('person')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const file = [
      header,
      'U-1,Pat,New,New@Example.edu,faculty/staff',
      'U-2,,Newer,,',
      'U-3,Sam,Same,,',
      'U-404,No,Body,,',
    ].join('\r\n');
    const job = await runJob(app(), ctx, cookie, { type: 'update_people', file, mapping: peopleByUniqueId });
    expect(job.status).toBe('completed');
    expect(job.counters).toEqual({
      outcomes: { updated: 2, unchanged: 1, skipped: 1 },
      reasons: { unknown_person: 1 },
    });
    expect(job.dryRun.outcomes).toEqual(job.counters.outcomes);
    expect(await person(pre.id)).toMatchObject({
      first_name: 'Pat',
      last_name: 'New',
      email: 'new@example.edu',
      member_type_id: staff.id,
      name_key: 'pat new',
      status: 'pre_verified',
    });
    expect(await person(active.id)).toMatchObject({ first_name: 'Ann', last_name: 'Newer', last_name_key: 'newer' });
    expect((await person(same.id)).updated_at).toBe(same.updated_at);
    const after = await ctx.db
      .selectFrom('person')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(after?.n)).toBe(Number(before?.n));
  });

  it('keeps the email of a person who has an account, and says so in the log', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const active = await buildPerson(ctx, { uniqueId: 'A-1', email: 'mine@example.edu', firstName: 'Al' });
    const invited = await buildPerson(ctx, { status: 'invited', uniqueId: 'A-2', email: 'invited@example.edu' });
    const file = [header, 'A-1,Alfred,,crm@example.edu,', 'A-2,,,other@example.edu,'].join('\n');
    const job = await runJob(app(), ctx, cookie, { type: 'update_people', file, mapping: peopleByUniqueId });
    expect(job.counters).toEqual({
      outcomes: { updated: 1, unchanged: 1 },
      reasons: { email_kept: 2 },
    });
    expect(await person(active.id)).toMatchObject({ email: 'mine@example.edu', first_name: 'Alfred' });
    expect(await person(invited.id)).toMatchObject({ email: 'invited@example.edu' });
    const log = await readLog(ctx, job.id);
    expect(log.map((r) => [r.row_number, r.outcome, r.reason])).toEqual([
      [2, 'updated', 'email_kept'],
      [3, 'unchanged', 'email_kept'],
    ]);
  });

  it('skips rows by reason, and an email another person holds (also one an earlier row just took)', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    await buildPerson(ctx, { uniqueId: 'H-1', email: 'held@example.edu' });
    const pre = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        buildPerson(ctx, { status: 'pre_verified', uniqueId: `P-${n}`, email: `p${n}@example.edu` }),
      ),
    );
    const file = [
      header,
      'P-1,,,held@example.edu,',
      'P-1,,,other@example.edu,',
      'P-2,,,fresh@example.edu,',
      'P-3,,,fresh@example.edu,',
      'P-4,,,not an email,',
      `P-5,${'x'.repeat(51)},,,`,
      'P-5,,,,Martian',
      ',,,,',
    ].join('\n');
    await buildPerson(ctx, { status: 'pre_verified', uniqueId: 'P-5', email: 'p5@example.edu' });
    const job = await runJob(app(), ctx, cookie, { type: 'update_people', file, mapping: peopleByUniqueId });
    expect(job.counters).toEqual({
      outcomes: { updated: 1, skipped: 7 },
      reasons: { email_taken: 2, duplicate_row: 2, invalid_email: 1, name_too_long: 1, invalid_id: 1 },
    });
    const emails = await Promise.all(pre.map(async (p) => (await person(p.id)).email));
    expect(emails).toEqual(['p1@example.edu', 'fresh@example.edu', 'p3@example.edu', 'p4@example.edu']);
  });

  it('passes an email from one pre-verified person to another in file order', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const a = await buildPerson(ctx, { status: 'pre_verified', uniqueId: 'S-1', email: 'one@example.edu' });
    const b = await buildPerson(ctx, { status: 'pre_verified', uniqueId: 'S-2', email: 'two@example.edu' });
    const file = [header, 'S-1,,,uno@example.edu,', 'S-2,,,one@example.edu,'].join('\n');
    const job = await runJob(app(), ctx, cookie, { type: 'update_people', file, mapping: peopleByUniqueId });
    expect(job.counters.outcomes).toEqual({ updated: 2 });
    expect((await person(a.id)).email).toBe('uno@example.edu');
    expect((await person(b.id)).email).toBe('one@example.edu');
  });

  it('finds people by Profile ID or Pre-verification ID, and refuses a mapping with nothing to update', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const p = await buildPerson(ctx, { firstName: 'Old' });
    const q = await buildPerson(ctx, { status: 'pre_verified', preverificationId: 7001, firstName: 'Old' });
    const byProfile = await runJob(app(), ctx, cookie, {
      type: 'update_people',
      file: `Profile ID,First Name\n${p.id},Newname\n6.5,X\n`,
      mapping: { keyColumn: 'Profile ID', keyType: 'profile_id', firstNameColumn: 'First Name' },
    });
    expect(byProfile.counters).toEqual({ outcomes: { updated: 1, skipped: 1 }, reasons: { invalid_id: 1 } });
    expect((await person(p.id)).first_name).toBe('Newname');
    const byPreverification = await runJob(app(), ctx, cookie, {
      type: 'update_people',
      file: 'Pre-verification ID,First Name\n7001,Fresh\n',
      mapping: { keyColumn: 1, keyType: 'preverification_id', firstNameColumn: 2 },
    });
    expect(byPreverification.counters.outcomes).toEqual({ updated: 1 });
    expect((await person(q.id)).first_name).toBe('Fresh');

    const up = await upload(app(), cookie, { type: 'update_people', file: 'Unique ID,Notes\nU-1,x\n' });
    expect(up.statusCode).toBe(201);
    const refused = await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${up.json().id}/mapping`,
      headers: { cookie },
      payload: { keyColumn: 'Unique ID', keyType: 'unique_id' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'mapping_invalid', details: { field: 'firstNameColumn' } });
  });

  it('suggests the mapping from the header names', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const up = await upload(app(), cookie, {
      type: 'update_people',
      file: 'Student ID,Surname,E-mail\nS1,Lee,a@b.edu\n',
    });
    expect(up.statusCode).toBe(201);
    const job = await app().inject({ url: `/api/admin/data-jobs/${up.json().id}`, headers: { cookie } });
    expect(job.json().suggestedMapping).toMatchObject({ keyColumn: 1, keyType: 'unique_id', lastNameColumn: 2 });
  });
});
