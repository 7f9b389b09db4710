/** The typeahead: who may search, prefixes of name / last name / email, membership marks, the rate limit. */
import { expect, it } from 'vitest';
import type { PersonSuggestion } from '../../shared/invitations.js';
import { addMembership, buildAdmin, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { ledCommunity } from './invitation-test-helpers.js';

describeEachDb('people search (typeahead)', (t) => {
  const app = useTestApp(t);
  const search = async (cookie: string, query: string) => {
    const res = await app().inject({ method: 'GET', url: `/api/people/search?${query}`, headers: { cookie } });
    return {
      status: res.statusCode,
      items: (res.json() as { items?: PersonSuggestion[] }).items ?? [],
      body: res.json() as { error?: { code: string } },
    };
  };

  it('finds by first name, last name or email prefix, at most 10, marking members and invitees of the community', async () => {
    const { ctx } = t();
    const { community, cookie, leader } = await ledCommunity(ctx);
    const joined = await buildPerson(ctx, { firstName: 'Zebulon', lastName: 'Quartz', email: 'zq1@typeahead.example' });
    const invited = await buildPerson(ctx, { firstName: 'Zelda', lastName: 'Quartz' });
    const plain = await buildPerson(ctx, {
      firstName: 'Ann',
      lastName: 'Zorro-Quartz',
      email: 'zqx@typeahead.example',
    });
    await addMembership(ctx, community.id, joined.id, 'joined');
    await addMembership(ctx, community.id, invited.id, 'invited', 'member', leader.id);
    for (let i = 0; i < 12; i++) await buildPerson(ctx, { firstName: 'Many', lastName: `Typeahead${i}` });

    const byLast = await search(cookie, `q=Quartz&communityId=${community.id}`);
    expect(byLast.status).toBe(200);
    expect(byLast.items.map((i) => [i.id, i.membershipState])).toEqual([
      [joined.id, 'joined'],
      [invited.id, 'invited'],
    ]);
    const byFirst = await search(cookie, `q=zeb&communityId=${community.id}`);
    expect(byFirst.items.map((i) => i.id)).toEqual([joined.id]);
    const byFull = await search(cookie, `q=${encodeURIComponent('Zelda  Q')}&communityId=${community.id}`);
    expect(byFull.items.map((i) => i.id)).toEqual([invited.id]);
    // An admin's answer carries the address (a leader's only a hint of it: see below).
    const adminCookie = await sessionCookie(ctx, (await buildAdmin(ctx)).id);
    const byEmail = await search(adminCookie, `q=ZQ&communityId=${community.id}`);
    expect(byEmail.items.map((i) => i.id).sort()).toEqual([joined.id, plain.id].sort());
    expect(byEmail.items.find((i) => i.id === plain.id)).toMatchObject({
      membershipState: null,
      firstName: 'Ann',
      email: 'zqx@typeahead.example',
    });
    expect((await search(cookie, `q=many&communityId=${community.id}&limit=10`)).items).toHaveLength(10);
    expect((await search(cookie, `q=many&communityId=${community.id}`)).items).toHaveLength(10);
    expect((await search(cookie, `q=z&communityId=${community.id}`)).items).toEqual([]);
  });

  it('admins search the site; leaders only with their own community; members not at all', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const other = await ledCommunity(ctx);
    const admin = await buildAdmin(ctx);
    const member = await buildPerson(ctx);
    await addMembership(ctx, community.id, member.id, 'joined');
    expect((await search(await sessionCookie(ctx, admin.id), 'q=le')).status).toBe(200);
    expect((await search(cookie, 'q=le')).status).toBe(403);
    expect((await search(cookie, `q=le&communityId=${other.community.id}`)).status).toBe(403);
    expect((await search(await sessionCookie(ctx, member.id), `q=le&communityId=${community.id}`)).status).toBe(403);
    expect((await search('', `q=le&communityId=${community.id}`)).status).toBe(401);
  });

  it('answers a leader only name, member type, a hint of the address and whether they can be invited', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const plain = await buildPerson(ctx, { firstName: 'Quill', lastName: 'Active', email: 'quill.a@reach.example' });
    const joined = await buildPerson(ctx, { firstName: 'Quill', lastName: 'Joined', email: 'qj@reach.example' });
    const pending = await buildPerson(ctx, { firstName: 'Quill', lastName: 'Waiting', status: 'pending' });
    const inactive = await buildPerson(ctx, { firstName: 'Quill', lastName: 'Gone', status: 'inactive' });
    const admin = await buildAdmin(ctx, { firstName: 'Quill', lastName: 'Admin', email: 'qadmin@reach.example' });
    await addMembership(ctx, community.id, joined.id, 'joined');

    const res = await app().inject({
      method: 'GET',
      url: `/api/people/search?q=quill&communityId=${community.id}`,
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    for (const address of ['quill.a@reach.example', 'qj@reach.example', 'qadmin@reach.example'])
      expect(res.body).not.toContain(address);
    expect(res.body).not.toMatch(/pending|inactive|"status"|isAdmin|is_admin/);
    const items = (res.json() as { items: PersonSuggestion[] }).items;
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get(plain.id)).toEqual({
      id: plain.id,
      firstName: 'Quill',
      lastName: 'Active',
      memberType: null,
      emailHint: 'q•••@reach.example',
      canInvite: true,
      cannotInviteReason: null,
      membershipState: null,
    });
    expect(byId.get(joined.id)).toMatchObject({ canInvite: false, cannotInviteReason: 'already_member' });
    expect(byId.get(pending.id)).toMatchObject({ canInvite: false, cannotInviteReason: 'unavailable' });
    expect(byId.get(inactive.id)).toMatchObject({ canInvite: false, cannotInviteReason: 'unavailable' });
    expect(byId.get(admin.id)).toMatchObject({ emailHint: 'q•••@reach.example', canInvite: true });

    const full = await search(await sessionCookie(ctx, admin.id), `q=quill&communityId=${community.id}`);
    expect(full.items.find((i) => i.id === admin.id)).toMatchObject({
      email: 'qadmin@reach.example',
      status: 'active',
      isAdmin: true,
    });
    expect(full.items.find((i) => i.id === pending.id)).toMatchObject({
      status: 'pending',
      cannotInviteReason: 'unavailable',
    });
  });

  it('is rate-limited per caller (429 rate_limited)', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await search(cookie, `q=ab&communityId=${community.id}`)).status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(20);
    expect(statuses).toContain(429);
    const limited = await search(cookie, `q=ab&communityId=${community.id}`);
    expect(limited.body.error?.code).toBe('rate_limited');
  });
});
