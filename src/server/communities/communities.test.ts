import { beforeAll, expect, it } from 'vitest';
import type { PersonRow } from '../db/schema.js';
import { addMembership, buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';

describeEachDb('communities', (t) => {
  const app = useTestApp(t);
  let admin: PersonRow;
  let adminCookie = '';
  const as = (cookie: string) => ({
    get: (url: string) => app().inject({ url, headers: { cookie } }),
    post: (url: string, payload: object = {}) => app().inject({ method: 'POST', url, headers: { cookie }, payload }),
    patch: (url: string, payload: object) => app().inject({ method: 'PATCH', url, headers: { cookie }, payload }),
    del: (url: string) => app().inject({ method: 'DELETE', url, headers: { cookie } }),
  });
  const member = async () => {
    const p = await buildPerson(t().ctx);
    return { person: p, api: as(await sessionCookie(t().ctx, p.id)) };
  };
  beforeAll(async () => {
    admin = await buildAdmin(t().ctx);
    adminCookie = await sessionCookie(t().ctx, admin.id);
  });

  it('admins create a community with a slug from its name; names are unique; the table shows the Community ID and counts', async () => {
    const api = as(adminCookie);
    const res = await api.post('/api/admin/communities', {
      name: 'Class of 2026 — Boston!',
      headline: 'Hi',
      privacy: 'private',
    });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      name: 'Class of 2026 — Boston!',
      slug: 'class-of-2026-boston',
      privacy: 'private',
      landingUrl: 'http://localhost:3000/join/class-of-2026-boston',
    });
    expect(Number.isInteger(c.id)).toBe(true);
    expect(
      (await api.post('/api/admin/communities', { name: 'class of 2026 — boston!', privacy: 'public' })).json().error
        .code,
    ).toBe('name_taken');
    const twin = (
      await api.post('/api/admin/communities', { name: 'Class of 2026: Boston', privacy: 'public' })
    ).json();
    expect(twin.slug).toBe('class-of-2026-boston-2');
    const { person } = await member();
    await addMembership(t().ctx, c.id, person.id, 'joined');
    await addMembership(t().ctx, c.id, (await buildPerson(t().ctx)).id, 'invited');
    const table = (await api.get(`/api/admin/communities?q=${c.id}`)).json();
    expect(table.items).toEqual([
      expect.objectContaining({ id: c.id, memberCount: 1, invitedCount: 1, landingUrl: c.landingUrl }),
    ]);
    const audit = await t()
      .ctx.db.selectFrom('audit_event')
      .select('action')
      .where('target_type', '=', 'community')
      .where('target_id', '=', String(c.id))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['community.create']);
  });

  it('edits name, headline, description, privacy and slug; the old slug is kept; edits are audited', async () => {
    const api = as(adminCookie);
    const c = await buildCommunity(t().ctx, { name: 'Editable' });
    const res = await api.patch(`/api/admin/communities/${c.id}`, {
      name: 'Edited',
      headline: 'New headline',
      description: 'About us',
      privacy: 'invite_only',
      slug: 'edited-one',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: c.id,
      name: 'Edited',
      headline: 'New headline',
      description: 'About us',
      privacy: 'invite_only',
      slug: 'edited-one',
    });
    const old = await t()
      .ctx.db.selectFrom('community_slug_history')
      .select('community_id')
      .where('slug', '=', c.slug)
      .executeTakeFirst();
    expect(old?.community_id).toBe(c.id);
    expect((await api.patch(`/api/admin/communities/${c.id}`, { slug: 'Not A Slug!' })).statusCode).toBe(400);
    expect((await api.patch('/api/admin/communities/99999999', { name: 'x' })).statusCode).toBe(404);
    const audit = await t()
      .ctx.db.selectFrom('audit_event')
      .select(['action', 'actor_id'])
      .where('target_id', '=', String(c.id))
      .execute();
    expect(audit).toEqual([{ action: 'community.update', actor_id: admin.id }]);
  });

  it('shows invite-only communities only to their members, invitees and admins; others get 404', async () => {
    const hidden = await buildCommunity(t().ctx, { privacy: 'invite_only' });
    const [outsider, invitee, joined] = [await member(), await member(), await member()];
    await addMembership(t().ctx, hidden.id, invitee.person.id, 'invited');
    await addMembership(t().ctx, hidden.id, joined.person.id, 'joined');
    const ids = async (api: ReturnType<typeof as>) =>
      ((await api.get('/api/communities?limit=200')).json().items as { id: number }[]).map((c) => c.id);
    expect(await ids(outsider.api)).not.toContain(hidden.id);
    expect(await ids(invitee.api)).toContain(hidden.id);
    expect(await ids(joined.api)).toContain(hidden.id);
    expect(await ids(as(adminCookie))).toContain(hidden.id);
    for (const url of [`/api/communities/${hidden.id}`, `/api/communities/${hidden.id}/members`]) {
      expect((await outsider.api.get(url)).statusCode).toBe(404);
    }
    expect((await outsider.api.post(`/api/communities/${hidden.id}/join`)).statusCode).toBe(404);
    expect((await invitee.api.get(`/api/communities/${hidden.id}`)).json()).toMatchObject({
      myState: 'invited',
      can: { join: 'join', seeMembers: false },
    });
    // An invitee sees the public face only, not the members.
    expect((await invitee.api.get(`/api/communities/${hidden.id}/members`)).statusCode).toBe(403);
    expect((await joined.api.get(`/api/communities/${hidden.id}/members`)).statusCode).toBe(200);
  });

  it('joins a public community at once, idempotently; leaves it', async () => {
    const c = await buildCommunity(t().ctx, { privacy: 'public' });
    const m = await member();
    expect((await m.api.post(`/api/communities/${c.id}/join`)).json()).toEqual({ state: 'joined', changed: true });
    expect((await m.api.post(`/api/communities/${c.id}/join`)).json()).toEqual({ state: 'joined', changed: false });
    expect((await m.api.get(`/api/communities/${c.id}`)).json()).toMatchObject({
      memberCount: 1,
      myState: 'joined',
      can: { leave: true, join: null },
    });
    expect((await m.api.post(`/api/communities/${c.id}/leave`)).statusCode).toBe(200);
    expect((await m.api.post(`/api/communities/${c.id}/leave`)).json().error.code).toBe('conflict');
    expect((await m.api.get(`/api/communities/${c.id}`)).json()).toMatchObject({ memberCount: 0, myState: 'left' });
  });

  it('parallel joins end in one membership', async () => {
    const c = await buildCommunity(t().ctx, { privacy: 'public' });
    const m = await member();
    const answers = await Promise.all([1, 2, 3, 4].map(() => m.api.post(`/api/communities/${c.id}/join`)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect(answers.filter((a) => a.json().changed).length).toBe(1);
    const rows = await t().ctx.db.selectFrom('membership').select('state').where('community_id', '=', c.id).execute();
    expect(rows).toEqual([{ state: 'joined' }]);
  });

  it('asks to join a private community; a leader approves; another request is declined', async () => {
    const c = await buildCommunity(t().ctx, { privacy: 'private' });
    const [leader, asker, other, outsider] = [await member(), await member(), await member(), await member()];
    await addMembership(t().ctx, c.id, leader.person.id, 'joined', 'leader');
    expect((await asker.api.post(`/api/communities/${c.id}/join`)).json()).toEqual({
      state: 'requested',
      changed: true,
    });
    expect((await other.api.post(`/api/communities/${c.id}/join`)).json().state).toBe('requested');
    expect((await asker.api.get(`/api/communities/${c.id}/members`)).statusCode).toBe(403);
    const requests = (await leader.api.get(`/api/communities/${c.id}/members?state=requested`)).json();
    expect(requests.items.map((i: { personId: number }) => i.personId).sort()).toEqual(
      [asker.person.id, other.person.id].sort(),
    );
    expect(requests.items[0].email).not.toBeNull();
    expect((await outsider.api.post(`/api/communities/${c.id}/requests/${asker.person.id}/approve`)).statusCode).toBe(
      403,
    );
    expect((await leader.api.post(`/api/communities/${c.id}/requests/${asker.person.id}/approve`)).json()).toEqual({
      state: 'joined',
    });
    expect((await leader.api.post(`/api/communities/${c.id}/requests/${other.person.id}/decline`)).json()).toEqual({
      state: 'removed',
    });
    expect(
      (await leader.api.post(`/api/communities/${c.id}/requests/${other.person.id}/approve`)).json().error.code,
    ).toBe('conflict');
    const joined = (await asker.api.get(`/api/communities/${c.id}/members`)).json();
    expect(joined.items.map((i: { personId: number }) => i.personId).sort()).toEqual(
      [leader.person.id, asker.person.id].sort(),
    );
    expect(joined.items.every((i: { email: string | null }) => i.email === null)).toBe(true);
    const audit = await t()
      .ctx.db.selectFrom('audit_event')
      .select('action')
      .where('target_id', 'in', [`${c.id}:${asker.person.id}`, `${c.id}:${other.person.id}`])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['membership.approve_request', 'membership.decline_request']);
  });

  it('leaves a pending person’s remembered join to the site admin’s approval of the person', async () => {
    const c = await buildCommunity(t().ctx, { privacy: 'private' });
    const leader = await member();
    await addMembership(t().ctx, c.id, leader.person.id, 'joined', 'leader');
    const pending = await buildPerson(t().ctx, { status: 'pending' });
    await addMembership(t().ctx, c.id, pending.id, 'requested');
    const res = await leader.api.post(`/api/communities/${c.id}/requests/${pending.id}/approve`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('not active');
    const row = await t()
      .ctx.db.selectFrom('membership')
      .select('state')
      .where('community_id', '=', c.id)
      .where('person_id', '=', pending.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('requested');
  });

  it('accepts an open invitation on join exactly once, whatever the privacy', async () => {
    for (const privacy of ['public', 'private', 'invite_only'] as const) {
      const c = await buildCommunity(t().ctx, { privacy });
      const m = await member();
      await addMembership(t().ctx, c.id, m.person.id, 'invited', 'member', admin.id);
      const answers = await Promise.all([
        m.api.post(`/api/communities/${c.id}/join`),
        m.api.post(`/api/communities/${c.id}/join`),
      ]);
      expect(answers.map((a) => a.json().state)).toEqual(['joined', 'joined']);
      expect(answers.filter((a) => a.json().changed).length).toBe(1);
      const row = await t()
        .ctx.db.selectFrom('membership')
        .selectAll()
        .where('community_id', '=', c.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ state: 'joined', source: 'direct', invited_by: admin.id });
      expect(row.joined_at).not.toBeNull();
    }
  });

  it('invite-only without an invitation: a former member cannot rejoin by themselves', async () => {
    const c = await buildCommunity(t().ctx, { privacy: 'invite_only' });
    const m = await member();
    await addMembership(t().ctx, c.id, m.person.id, 'joined');
    await m.api.post(`/api/communities/${c.id}/leave`);
    expect((await m.api.post(`/api/communities/${c.id}/join`)).statusCode).toBe(404);
  });

  it('leaders and admins promote and demote; members and leaders elsewhere may not', async () => {
    const c = await buildCommunity(t().ctx, { privacy: 'public' });
    const elsewhere = await buildCommunity(t().ctx);
    const [leader, m, otherLeader, notMember] = [await member(), await member(), await member(), await member()];
    await addMembership(t().ctx, c.id, leader.person.id, 'joined', 'leader');
    await addMembership(t().ctx, c.id, m.person.id, 'joined');
    await addMembership(t().ctx, elsewhere.id, otherLeader.person.id, 'joined', 'leader');
    expect((await m.api.post(`/api/communities/${c.id}/leaders/${m.person.id}`)).statusCode).toBe(403);
    expect((await otherLeader.api.post(`/api/communities/${c.id}/leaders/${m.person.id}`)).statusCode).toBe(403);
    expect((await leader.api.post(`/api/communities/${c.id}/leaders/${notMember.person.id}`)).json().error.code).toBe(
      'conflict',
    );
    expect((await leader.api.post(`/api/communities/${c.id}/leaders/${m.person.id}`)).json()).toEqual({
      role: 'leader',
    });
    const leaders = (await m.api.get(`/api/communities/${c.id}/members?state=leaders`)).json();
    expect(leaders.items.map((i: { personId: number }) => i.personId).sort()).toEqual(
      [leader.person.id, m.person.id].sort(),
    );
    expect((await as(adminCookie).del(`/api/communities/${c.id}/leaders/${leader.person.id}`)).json()).toEqual({
      role: 'member',
    });
    expect((await m.api.get(`/api/communities/${c.id}`)).json()).toMatchObject({
      myRole: 'leader',
      leaderCount: 1,
      can: { manage: true, invite: true },
    });
    const audit = await t()
      .ctx.db.selectFrom('audit_event')
      .select(['action', 'actor_id'])
      .where('target_type', '=', 'membership')
      .where('target_id', 'in', [`${c.id}:${m.person.id}`, `${c.id}:${leader.person.id}`])
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'membership.promote', actor_id: leader.person.id },
      { action: 'membership.demote', actor_id: admin.id },
    ]);
  });

  it('leaders edit their community through PATCH /api/communities/:id; members may not', async () => {
    const c = await buildCommunity(t().ctx, { privacy: 'public' });
    const [leader, m] = [await member(), await member()];
    await addMembership(t().ctx, c.id, leader.person.id, 'joined', 'leader');
    await addMembership(t().ctx, c.id, m.person.id, 'joined');
    expect((await leader.api.patch(`/api/communities/${c.id}`, { headline: 'By the leader' })).json().headline).toBe(
      'By the leader',
    );
    expect((await m.api.patch(`/api/communities/${c.id}`, { headline: 'By a member' })).statusCode).toBe(403);
  });

  it('searches and pages the member directory', async () => {
    const c = await buildCommunity(t().ctx, { privacy: 'public' });
    for (const name of ['Ann', 'Ben', 'Cal'])
      await addMembership(
        t().ctx,
        c.id,
        (await buildPerson(t().ctx, { firstName: name, lastName: 'Dir' })).id,
        'joined',
      );
    const api = as(adminCookie);
    const p1 = (await api.get(`/api/communities/${c.id}/members?limit=2`)).json();
    expect(p1.items.map((i: { firstName: string }) => i.firstName)).toEqual(['Ann', 'Ben']);
    const p2 = (await api.get(`/api/communities/${c.id}/members?limit=2&cursor=${p1.nextCursor}`)).json();
    expect(p2.items.map((i: { firstName: string }) => i.firstName)).toEqual(['Cal']);
    expect(
      (await api.get(`/api/communities/${c.id}/members?q=be`))
        .json()
        .items.map((i: { firstName: string }) => i.firstName),
    ).toEqual(['Ben']);
  });

  it('lets only managers find members by email: a member cannot use the search to test an address', async () => {
    const c = await buildCommunity(t().ctx, { privacy: 'public' });
    const hidden = await buildPerson(t().ctx, {
      firstName: 'Quinn',
      lastName: 'Hidden',
      email: `zq-secret-${Date.now()}@example.test`,
    });
    await addMembership(t().ctx, c.id, hidden.id, 'joined');
    const m = await member();
    await addMembership(t().ctx, c.id, m.person.id, 'joined');
    const byEmail = `/api/communities/${c.id}/members?q=${encodeURIComponent(hidden.email!.slice(0, 12))}`;
    expect((await m.api.get(byEmail)).json().items).toEqual([]);
    expect((await m.api.get(`/api/communities/${c.id}/members?q=quinn`)).json().items).toEqual([
      expect.objectContaining({ personId: hidden.id, email: null }),
    ]);
    expect((await as(adminCookie).get(byEmail)).json().items).toEqual([
      expect.objectContaining({ personId: hidden.id, email: hidden.email }),
    ]);
  });
});
