import { beforeAll, expect, it } from 'vitest';
import type { PersonPage } from '../../shared/people.js';
import { buildAdmin, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { escapeCsvCell } from '../http/csv.js';

describeEachDb('admin Members API', (t) => {
  const app = useTestApp(t);
  let cookie = '';
  const get = async (url: string) => app().inject({ url, headers: { cookie } });
  const post = async (url: string, payload: object = {}) =>
    app().inject({ method: 'POST', url, headers: { cookie }, payload });
  beforeAll(async () => {
    cookie = await sessionCookie(t().ctx, (await buildAdmin(t().ctx)).id);
  });

  it('lists a tab in name order with keyset paging and every tab’s count', async () => {
    const { ctx } = t();
    for (const name of ['Zed', 'Amy', 'Bob', 'Cat', 'Dan'])
      await buildPerson(ctx, { status: 'pending', firstName: name, lastName: 'Paging' });
    const first = (await get('/api/admin/people?status=pending&limit=2')).json<PersonPage>();
    expect(first.items.map((p) => p.firstName)).toEqual(['Amy', 'Bob']);
    expect(first.counts.pending).toBe(5);
    const second = (
      await get(`/api/admin/people?status=pending&limit=2&cursor=${first.nextCursor}`)
    ).json<PersonPage>();
    expect(second.items.map((p) => p.firstName)).toEqual(['Cat', 'Dan']);
    const third = (
      await get(`/api/admin/people?status=pending&limit=2&cursor=${second.nextCursor}`)
    ).json<PersonPage>();
    expect(third.items.map((p) => p.firstName)).toEqual(['Zed']);
    expect(third.nextCursor).toBeNull();
    expect(first.items[0]).toMatchObject({
      status: 'pending',
      isAdmin: false,
      uniqueId: null,
      preverificationId: null,
    });
  });

  it('searches names, email, Unique ID, Pre-verification ID and Profile ID', async () => {
    const { ctx } = t();
    const p = await buildPerson(ctx, {
      firstName: 'Grace',
      lastName: 'Hopperson',
      email: 'g.hop@navy.example',
      uniqueId: 'U-555',
      preverificationId: 987654,
    });
    const ids = async (q: string) =>
      (await get(`/api/admin/people?status=active&q=${encodeURIComponent(q)}`))
        .json<PersonPage>()
        .items.map((i) => i.id);
    expect(await ids('grace hop')).toEqual([p.id]);
    expect(await ids('HOPPERS')).toEqual([p.id]);
    expect(await ids('g.hop@')).toEqual([p.id]);
    expect(await ids('U-555')).toEqual([p.id]);
    expect(await ids('987654')).toEqual([p.id]);
    expect(await ids(String(p.id))).toContain(p.id);
    expect(await ids('nobody-like-this')).toEqual([]);
    expect((await get('/api/admin/people?status=pending&q=grace')).json<PersonPage>().items).toEqual([]);
  });

  it('lists site admins of any status in the Admins tab', async () => {
    const res = (await get('/api/admin/people?status=admins')).json<PersonPage>();
    expect(res.items.length).toBeGreaterThan(0);
    expect(res.items.every((p) => p.isAdmin)).toBe(true);
    expect(res.counts.admins).toBe(res.items.length);
  });

  it('exports a tab as CSV with formula escaping', async () => {
    const { ctx } = t();
    await buildPerson(ctx, {
      status: 'inactive',
      firstName: '=HYPERLINK("x")',
      lastName: '+Evil',
      email: 'csv@example.test',
    });
    const res = await get('/api/admin/people.csv?status=inactive');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('members-inactive.csv');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'Profile ID,Unique ID,Pre-verification ID,Email,First Name,Last Name,Member Type,Status,Admin,Created',
    );
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")",'+Evil`);
  });

  it('escapes every formula-starting character, full-width forms included', () => {
    for (const s of ['=1', '+1', '-1', '@x', '\t1', '\r1', '\u00001', '＝1', '＋1', '－1', '＠x'])
      expect(escapeCsvCell(s)).toBe(`'${s}`);
    expect(escapeCsvCell('Ada')).toBe('Ada');
    expect(escapeCsvCell(-5)).toBe('-5');
    expect(escapeCsvCell(null)).toBe('');
  });

  it('pre-verifies one person ("Add one") with a Pre-verification ID and an invite URL that opens the welcome page', async () => {
    await post('/api/admin/member-types', { name: 'Alumni' });
    const res = await post('/api/admin/people', {
      email: 'New.Person@Example.edu',
      uniqueId: ' X-9 ',
      firstName: 'New',
      lastName: 'Person',
      memberType: '  alumni ',
    });
    expect(res.statusCode).toBe(201);
    const { person, inviteUrl } = res.json<{ person: PersonPage['items'][0]; inviteUrl: string }>();
    expect(person).toMatchObject({
      status: 'pre_verified',
      email: 'new.person@example.edu',
      uniqueId: 'X-9',
      memberType: 'Alumni',
    });
    expect(person.preverificationId).toBeGreaterThan(0);
    const token = inviteUrl.split('/invite/')[1];
    expect(inviteUrl.startsWith('http://localhost:3000/invite/')).toBe(true);
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    const stored = await t()
      .ctx.db.selectFrom('person')
      .select('invite_token_hash')
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(stored.invite_token_hash).not.toContain(token);
    const welcome = await app().inject(`/api/invite/${token}`);
    expect(welcome.json()).toMatchObject({ firstName: 'New', email: 'new.person@example.edu', status: 'pre_verified' });
    // Nothing was granted: the person is still pre-verified and has no session.
    expect(welcome.headers['set-cookie']).toBeUndefined();

    const again = (await post(`/api/admin/people/${person.id}/invite-url`)).json<{ inviteUrl: string }>();
    expect(again.inviteUrl).not.toBe(inviteUrl);
    expect((await app().inject(`/api/invite/${token}`)).statusCode).toBe(404);
    expect((await app().inject(`/api/invite/${again.inviteUrl.split('/invite/')[1]}`)).statusCode).toBe(200);

    expect(
      (await post('/api/admin/people', { email: 'new.person@example.edu', firstName: 'A', lastName: 'B' })).json().error
        .code,
    ).toBe('email_taken');
    expect(
      (await post('/api/admin/people', { uniqueId: 'X-9', firstName: 'A', lastName: 'B' })).json().error.code,
    ).toBe('unique_id_taken');
    expect((await post('/api/admin/people', { firstName: 'A', lastName: 'B' })).json().error.code).toBe(
      'validation_failed',
    );
    expect(
      (
        await post('/api/admin/people', { uniqueId: 'Y-1', firstName: 'A', lastName: 'B', memberType: 'Martians' })
      ).json().error.code,
    ).toBe('unknown_member_type');
    expect(
      (await post('/api/admin/people', { uniqueId: 'Y-2', firstName: 'A'.repeat(51), lastName: 'B' })).json().error
        .code,
    ).toBe('validation_failed');
  });

  it('matches member types ignoring case and spaces, and refuses duplicates', async () => {
    expect((await post('/api/admin/member-types', { name: ' Faculty / Staff ' })).statusCode).toBe(201);
    expect((await post('/api/admin/member-types', { name: 'faculty/staff' })).json().error.code).toBe('conflict');
    const list = (await get('/api/admin/member-types')).json<{ items: { name: string }[] }>();
    expect(list.items.map((i) => i.name)).toContain('Faculty / Staff');
  });

  it('shows a person’s page and acts on it through the API, answering errors by code', async () => {
    const { ctx } = t();
    const pending = await buildPerson(ctx, { status: 'pending' });
    const detail = (await get(`/api/admin/people/${pending.id}`)).json();
    expect(detail).toMatchObject({ id: pending.id, status: 'pending', memberships: [], hasInviteUrl: false });
    expect((await post(`/api/admin/people/${pending.id}/approve`, { uniqueId: 'APPR-1' })).json().person).toMatchObject(
      { status: 'active', uniqueId: 'APPR-1' },
    );
    expect((await post(`/api/admin/people/${pending.id}/deactivate`)).json().person.status).toBe('inactive');
    expect((await post(`/api/admin/people/${pending.id}/reactivate`)).json().person.status).toBe('active');
    expect((await post(`/api/admin/people/${pending.id}/admin`, { isAdmin: true })).json().person.isAdmin).toBe(true);
    const wrong = await post(`/api/admin/people/${pending.id}/reject`);
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().error.code).toBe('invalid_status_transition');
    expect((await get('/api/admin/people/99999999')).statusCode).toBe(404);
    const audit = (await get(`/api/admin/audit?targetType=person&targetId=${pending.id}`)).json<{
      items: { action: string }[];
    }>();
    expect(audit.items.map((a) => a.action)).toEqual([
      'person.admin_grant',
      'person.reactivate',
      'person.deactivate',
      'person.approve',
    ]);
  });
});
