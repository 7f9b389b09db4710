/**
 * Sessions and powers end at once, over HTTP with the same cookie: sign-out, deactivation and
 * admin revoke end the session; a leader's demotion keeps the session but its leader powers stop
 * on the next request. People who are not active never have a working session.
 */
import { beforeAll, expect, it } from 'vitest';
import type { PersonRow } from '../db/schema.js';
import {
  addMembership,
  apiToken,
  buildAdmin,
  buildCommunity,
  buildPerson,
  sessionCookie,
} from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';

describeEachDb('role loss and session end over HTTP', (t) => {
  const app = useTestApp(t);
  let admin: PersonRow;
  let adminCookie = '';
  const get = (url: string, headers: Record<string, string>) => app().inject({ url, headers });
  const send = (
    method: 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: Record<string, string>,
    payload: object = {},
  ) => app().inject({ method, url, headers, payload });

  beforeAll(async () => {
    admin = await buildAdmin(t().ctx);
    adminCookie = await sessionCookie(t().ctx, admin.id);
  });

  it('a demoted leader keeps the session but loses leader powers on the next request', async () => {
    const { ctx } = t();
    const c = await buildCommunity(ctx, { privacy: 'private' });
    const leader = await buildPerson(ctx);
    await addMembership(ctx, c.id, leader.id, 'joined', 'leader');
    const headers = { cookie: await sessionCookie(ctx, leader.id) };
    const asker = await buildPerson(ctx);
    await addMembership(ctx, c.id, asker.id, 'requested');
    const reads = () =>
      Promise.all([
        get(`/api/communities/${c.id}/invitations`, headers),
        get(`/api/communities/${c.id}/landing`, headers),
        get(`/api/communities/${c.id}/members?state=requested`, headers),
        get(`/api/people/search?q=te&communityId=${c.id}`, headers),
      ]);
    expect((await reads()).map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);

    expect(
      (await send('DELETE', `/api/communities/${c.id}/leaders/${leader.id}`, { cookie: adminCookie })).statusCode,
    ).toBe(200);
    expect((await get('/api/me', headers)).statusCode).toBe(200);
    const after = [
      ...(await reads()),
      await send('POST', `/api/communities/${c.id}/invitations`, headers, {
        emails: 'x-demoted@example.test',
        sendEmail: false,
      }),
      await send('PATCH', `/api/communities/${c.id}`, headers, { headline: 'changed by a former leader' }),
      await send('POST', `/api/communities/${c.id}/requests/${asker.id}/approve`, headers),
    ];
    expect(
      after.map((r) => r.statusCode),
      after.map((r) => r.body).join('\n'),
    ).toEqual([403, 403, 403, 403, 403, 403, 403]);
    const community = await ctx.db
      .selectFrom('community')
      .select('headline')
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(community.headline).not.toBe('changed by a former leader');
    const request = await ctx.db
      .selectFrom('membership')
      .select('state')
      .where('community_id', '=', c.id)
      .where('person_id', '=', asker.id)
      .executeTakeFirstOrThrow();
    expect(request.state).toBe('requested');
  });

  it('revoking admin ends the session and the API token stops working at once', async () => {
    const { ctx } = t();
    const other = await buildAdmin(ctx);
    const headers = { cookie: await sessionCookie(ctx, other.id) };
    const bearer = { authorization: `Bearer ${await apiToken(ctx, other.id)}` };
    expect((await get('/api/admin/people?status=active', headers)).statusCode).toBe(200);
    expect((await get('/api/admin/people?status=active', bearer)).statusCode).toBe(200);
    expect(
      (await send('POST', `/api/admin/people/${other.id}/admin`, { cookie: adminCookie }, { isAdmin: false }))
        .statusCode,
    ).toBe(200);
    expect((await get('/api/me', headers)).statusCode).toBe(401);
    expect((await get('/api/admin/people?status=active', headers)).statusCode).toBe(401);
    expect((await get('/api/admin/people?status=active', bearer)).statusCode).toBe(401);
    // made admin again: the old token stays dead (it was revoked, not merely unusable)
    expect(
      (await send('POST', `/api/admin/people/${other.id}/admin`, { cookie: adminCookie }, { isAdmin: true }))
        .statusCode,
    ).toBe(200);
    expect((await get('/api/admin/people?status=active', bearer)).statusCode).toBe(401);
  });

  it('deactivation revokes API tokens: reactivation does not bring them back', async () => {
    const { ctx } = t();
    const other = await buildAdmin(ctx);
    const bearer = { authorization: `Bearer ${await apiToken(ctx, other.id)}` };
    expect((await get('/api/admin/people?status=active', bearer)).statusCode).toBe(200);
    expect((await send('POST', `/api/admin/people/${other.id}/deactivate`, { cookie: adminCookie })).statusCode).toBe(
      200,
    );
    expect((await get('/api/admin/people?status=active', bearer)).statusCode).toBe(401);
    expect((await send('POST', `/api/admin/people/${other.id}/reactivate`, { cookie: adminCookie })).statusCode).toBe(
      200,
    );
    expect((await get('/api/admin/people?status=active', bearer)).statusCode).toBe(401);
  });

  it('deactivation and sign-out end the session at once', async () => {
    const { ctx } = t();
    const person = await buildPerson(ctx);
    const first = { cookie: await sessionCookie(ctx, person.id) };
    const second = { cookie: await sessionCookie(ctx, person.id) };
    expect((await send('POST', '/api/auth/logout', first)).statusCode).toBe(200);
    expect((await get('/api/me', first)).statusCode).toBe(401);
    expect((await get('/api/me', second)).statusCode).toBe(200);
    expect((await send('POST', `/api/admin/people/${person.id}/deactivate`, { cookie: adminCookie })).statusCode).toBe(
      200,
    );
    expect((await get('/api/me', second)).statusCode).toBe(401);
    expect(await ctx.db.selectFrom('session').select('id').where('person_id', '=', person.id).execute()).toEqual([]);
  });

  it('pending, pre-verified, invited and inactive people have no working session', async () => {
    const { ctx } = t();
    for (const status of ['pending', 'pre_verified', 'invited', 'inactive'] as const) {
      const person = await buildPerson(ctx, { status });
      const headers = { cookie: await sessionCookie(ctx, person.id) };
      expect((await get('/api/me', headers)).statusCode, status).toBe(401);
      expect((await get('/api/communities', headers)).statusCode, status).toBe(401);
    }
  });
});
