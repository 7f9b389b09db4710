/**
 * Expiry: the time stored on the invitation when it is made (site default, per batch), the sweep
 * at the edge (a millisecond before and after), batches that resume, the index it reads, and a
 * leader's extension and re-issue. Both databases, manual clock.
 */
import { expect, it } from 'vitest';
import type { InvitedMembersPage, RecommendedCommunities } from '../../shared/invitations.js';
import { isPostgres } from '../db/db.js';
import { expireDueInvitations, expireDueInvitationsInTableOrder } from '../memberships/index.js';
import { registries } from '../modules.js';
import { buildPerson, sessionCookie } from '../testing/factories.js';
import { explainQuery, recordQueries, sqlOf } from '../testing/query-plans.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { adminCookie, runJob } from '../data-tools/test-support.js';
import { buildCommunity } from '../testing/factories.js';
import { sweepExpiredInvitations } from './invitation-expiry.service.js';
import { freshEmail, invite, ledCommunity, membershipOf } from './invitation-test-helpers.js';

const DAY = 24 * 60 * 60 * 1000;

// Each case twice: the sweep through its due index (few due), and walking the table (many due).
for (const tableOrderFrom of [undefined, 0]) {
  describeEachDb(`invitation expiry${tableOrderFrom === 0 ? ' (sweeping in table order)' : ''}`, (t) => {
    const app = useTestApp(t);
    const post = (url: string, cookie: string, payload?: Record<string, unknown>) =>
      app().inject({ method: 'POST', url, headers: { cookie }, ...(payload ? { payload } : {}) });
    const get = (url: string, cookie: string) => app().inject({ method: 'GET', url, headers: { cookie } });
    const sweep = () => sweepExpiredInvitations(t().ctx, { tableOrderFrom });

    async function invited(body: { expiresInDays?: number | null } = {}) {
      const { ctx } = t();
      const led = await ledCommunity(ctx, { privacy: 'invite_only' });
      const person = await buildPerson(ctx);
      const res = await invite(app(), led.cookie, led.community.id, {
        personIds: [person.id],
        sendEmail: false,
        ...body,
      });
      expect(res.status).toBe(200);
      return { ...led, person, personCookie: await sessionCookie(ctx, person.id) };
    }
    const homeOf = async (cookie: string) =>
      ((await get('/api/me/recommended-communities', cookie)).json() as RecommendedCommunities).invitations;

    it('stores the expiry when the invitation is made: the site default, a batch override, or never', async () => {
      const { ctx } = t();
      const made = ctx.clock.now();
      const byDefault = await invited();
      expect((await membershipOf(ctx, byDefault.community.id, byDefault.person.id))?.expires_at).toBe(made + 30 * DAY);
      expect((await homeOf(byDefault.personCookie))[0]?.expiresAt).toBe(made + 30 * DAY);
      const week = await invited({ expiresInDays: 7 });
      expect((await membershipOf(ctx, week.community.id, week.person.id))?.expires_at).toBe(made + 7 * DAY);
      const never = await invited({ expiresInDays: null });
      expect((await membershipOf(ctx, never.community.id, never.person.id))?.expires_at).toBeNull();
      expect(
        (await invite(app(), never.cookie, never.community.id, { emails: freshEmail(), expiresInDays: 0 })).status,
      ).toBe(400);
    });

    it('expires an invitation at its time, not a millisecond before; it leaves home and shows as expired', async () => {
      const { ctx } = t();
      const { community, person, personCookie, cookie } = await invited({ expiresInDays: 1 });
      const expiresAt = ctx.clock.now() + DAY;
      t().clock.advance(DAY - 1);
      await sweep();
      expect((await membershipOf(ctx, community.id, person.id))?.state).toBe('invited');
      expect(await homeOf(personCookie)).toHaveLength(1);

      t().clock.advance(2);
      expect(ctx.clock.now()).toBe(expiresAt + 1);
      await sweep();
      const row = await membershipOf(ctx, community.id, person.id);
      expect(row).toMatchObject({ state: 'left', ended_by: 'expire' });
      expect(await homeOf(personCookie)).toEqual([]);
      const page = (await get(`/api/communities/${community.id}/invitations`, cookie)).json() as InvitedMembersPage;
      expect(page.items.map((i) => [i.personId, i.invitation, i.expiresAt, i.resendAllowedAt])).toEqual([
        [person.id, 'expired', expiresAt, null],
      ]);
      expect(page.total).toBe(0);
      // no longer an invitee of an invite-only community: the email's link says the invitation expired
      const join = await post(`/api/communities/${community.id}/join`, personCookie);
      expect(join.statusCode).toBe(404);
      expect(join.json()).toMatchObject({ error: { code: 'invitation_expired' } });
      const face = await get(`/api/communities/${community.id}`, personCookie);
      expect(face.json()).toMatchObject({
        error: { code: 'invitation_expired', message: expect.stringContaining('has expired. Ask one of its leaders') },
      });
      const stranger = await sessionCookie(ctx, (await buildPerson(ctx)).id);
      expect((await get(`/api/communities/${community.id}`, stranger)).json()).toMatchObject({
        error: { code: 'not_found' },
      });
    });

    it('expires hidden invitations too, and leaves joined, declined and never-expiring ones alone', async () => {
      const { ctx } = t();
      const hidden = await invited({ expiresInDays: 1 });
      await post(`/api/communities/${hidden.community.id}/dismiss`, hidden.personCookie);
      const joined = await invited({ expiresInDays: 1 });
      await post(`/api/communities/${joined.community.id}/join`, joined.personCookie);
      const declined = await invited({ expiresInDays: 1 });
      await post(`/api/communities/${declined.community.id}/decline`, declined.personCookie);
      const never = await invited({ expiresInDays: null });
      t().clock.advance(400 * DAY);
      await sweep();
      expect(await membershipOf(ctx, hidden.community.id, hidden.person.id)).toMatchObject({
        state: 'left',
        ended_by: 'expire',
      });
      expect((await membershipOf(ctx, joined.community.id, joined.person.id))?.state).toBe('joined');
      expect(await membershipOf(ctx, declined.community.id, declined.person.id)).toMatchObject({
        state: 'left',
        ended_by: 'decline',
      });
      expect((await membershipOf(ctx, never.community.id, never.person.id))?.state).toBe('invited');
    });

    it('queues a membership.expired webhook event for each invitation it expires', async () => {
      const { ctx, clock } = t();
      const made = ctx.clock.now();
      const endpoint = await ctx.db
        .insertInto('webhook_endpoint')
        .values({
          url: 'https://hooks.example.test/convene',
          description: '',
          secret: 'whsec_dGVzdA==',
          events: JSON.stringify(['membership.expired']),
          per_event: 0,
          enabled: 1,
          disabled_reason: null,
          failing_since: null,
          lease_owner: null,
          lease_until: null,
          created_at: made,
          updated_at: made,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      try {
        const a = await invited({ expiresInDays: 1 });
        const b = await invited({ expiresInDays: 1 });
        clock.set(made + DAY);
        expect(await sweep()).toBeGreaterThanOrEqual(2);
        const events = await ctx.db
          .selectFrom('webhook_delivery')
          .select(['event_type', 'person_id', 'data'])
          .where('endpoint_id', '=', endpoint.id)
          .execute();
        for (const x of [a, b])
          expect(events).toContainEqual({
            event_type: 'membership.expired',
            person_id: x.person.id,
            data: JSON.stringify({ personId: x.person.id, communityId: x.community.id }),
          });
      } finally {
        await ctx.db.deleteFrom('webhook_delivery').where('endpoint_id', '=', endpoint.id).execute();
        await ctx.db.deleteFrom('webhook_endpoint').where('id', '=', endpoint.id).execute();
      }
    });

    it('sweeps in batches; a sweep stopped after one batch leaves the rest to the next', async () => {
      const { ctx } = t();
      const { community, cookie } = await ledCommunity(ctx);
      const people = await Promise.all([1, 2, 3, 4, 5].map(() => buildPerson(ctx)));
      await invite(app(), cookie, community.id, {
        personIds: people.map((p) => p.id),
        sendEmail: false,
        expiresInDays: 2,
      });
      t().clock.advance(2 * DAY);
      const stop = new AbortController();
      await expect(
        sweepExpiredInvitations(ctx, {
          tableOrderFrom,
          batchSize: 2,
          heartbeat: async () => stop.abort(),
          signal: stop.signal,
        }),
      ).rejects.toThrow();
      const states = async () =>
        Promise.all(people.map(async (p) => (await membershipOf(ctx, community.id, p.id))?.state));
      expect((await states()).filter((s) => s === 'left')).toHaveLength(2);
      expect(await sweepExpiredInvitations(ctx, { tableOrderFrom, batchSize: 2 })).toBe(3);
      expect(await states()).toEqual(['left', 'left', 'left', 'left', 'left']);
      expect(await sweep()).toBe(0);
    });

    it('reads the due invitations through the partial expiry index', async () => {
      const { ctx } = t();
      const queries = await recordQueries(ctx.db, (db) => expireDueInvitations(db, ctx.clock.now(), 10));
      // the membership update (on SQLite the funnel's bulk flag is updated around it)
      const update = queries.find((q) => /^update "?membership"? /.test(sqlOf(ctx.db, q)));
      expect(update).toBeDefined();
      const { access, plan } = await explainQuery(ctx.db, update!, 'membership');
      expect(
        access.map((a) => a.index),
        plan,
      ).toContain('membership_open_expiry_idx');
      expect(
        access.every((a) => a.index !== null),
        plan,
      ).toBe(true);
    });

    it('walking the table, reads and writes in the table’s own order (SQLite: never the partial index)', async () => {
      const { ctx } = t();
      const pg = isPostgres(ctx.db);
      // SQLite: a scan of the table or a rowid range, both in rowid order (the states are bound
      // parameters, so the partial index is out of reach). PostgreSQL's planner picks by its
      // statistics between the primary key's range and the partial index: through an index, either way.
      for (const after of [undefined, pg ? [1, 1] : [1]]) {
        const queries = await recordQueries(ctx.db, (db) =>
          expireDueInvitationsInTableOrder(db, ctx.clock.now() - 400 * DAY, after, 10),
        );
        // the statements on membership (on SQLite the funnel's bulk flag is updated around the write)
        const onMembership = queries.filter((q) => sqlOf(ctx.db, q).includes('membership'));
        expect(onMembership.length).toBeGreaterThanOrEqual(2);
        for (const q of onMembership) {
          const { access, plan } = await explainQuery(ctx.db, q, 'membership');
          expect(access, plan).toHaveLength(1);
          if (pg) expect(access[0]?.index, plan).not.toBeNull();
          else expect([null, 'rowid'], plan).toContain(access[0]?.index);
        }
      }
    });

    it('a leader extends an open invitation or opens an expired one again; re-issuing invites again', async () => {
      const { ctx } = t();
      const { community, person, leader } = await invited({ expiresInDays: 1 });
      // sessions end while the clock runs for days: sign in afresh for each step
      const leaderCookie = () => sessionCookie(ctx, leader.id);
      const url = `/api/communities/${community.id}/invitations/${person.id}/extend`;
      const longer = await post(url, await leaderCookie(), { expiresInDays: 10 });
      expect(longer.statusCode).toBe(200);
      expect(longer.json()).toEqual({ expiresAt: ctx.clock.now() + 10 * DAY });
      t().clock.advance(5 * DAY);
      await sweep();
      expect((await membershipOf(ctx, community.id, person.id))?.state).toBe('invited');

      t().clock.advance(6 * DAY);
      await sweep();
      expect((await membershipOf(ctx, community.id, person.id))?.state).toBe('left');
      const reopened = await post(url, await leaderCookie(), {});
      expect(reopened.json()).toEqual({ expiresAt: ctx.clock.now() + 30 * DAY });
      expect(await membershipOf(ctx, community.id, person.id)).toMatchObject({ state: 'invited', ended_by: null });
      const personCookie = await sessionCookie(ctx, person.id);
      expect((await homeOf(personCookie)).map((i) => i.community.id)).toEqual([community.id]);
      // the invitee may not extend their own invitation
      expect((await post(url, personCookie, {})).statusCode).toBe(403);

      // a revoked invitation is not extended; re-issuing it is a new invite
      const cookie = await leaderCookie();
      await post(`/api/communities/${community.id}/invitations/${person.id}/revoke`, cookie);
      expect((await post(url, cookie, {})).statusCode).toBe(404);
      const again = await invite(app(), cookie, community.id, { personIds: [person.id], expiresInDays: 3 });
      expect(again.body.summary).toMatchObject({ invited: 1 });
      expect((await membershipOf(ctx, community.id, person.id))?.expires_at).toBe(ctx.clock.now() + 3 * DAY);
    });

    it('a Data Tools job’s invitations expire after the site’s setting (a job stores it when it writes)', async () => {
      const { ctx } = t();
      const { cookie } = await adminCookie(ctx);
      const settings = await app().inject({
        method: 'PATCH',
        url: '/api/admin/settings',
        headers: { cookie },
        payload: { invitationExpiryDays: 4 },
      });
      expect(settings.statusCode).toBe(200);
      const community = await buildCommunity(ctx);
      const person = await buildPerson(ctx, { uniqueId: `EXP-${community.id}` });
      const job = await runJob(app(), ctx, cookie, {
        type: 'invite_to_community',
        file: ['Community ID,Unique ID', `${community.id},EXP-${community.id}`].join('\r\n'),
        mapping: { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' },
      });
      expect(job.status).toBe('completed');
      const row = await membershipOf(ctx, community.id, person.id);
      expect(row?.state).toBe('invited');
      const expiresAt = row?.expires_at ?? 0;
      expect(expiresAt).toBeGreaterThan(ctx.clock.now() - DAY);
      expect(expiresAt).toBeLessThanOrEqual(ctx.clock.now() + 4 * DAY);
      t().clock.advance(expiresAt - ctx.clock.now() - 1);
      await sweep();
      expect((await membershipOf(ctx, community.id, person.id))?.state).toBe('invited');
      t().clock.advance(1);
      await sweep();
      expect((await membershipOf(ctx, community.id, person.id))?.state).toBe('left');
      await app().inject({
        method: 'PATCH',
        url: '/api/admin/settings',
        headers: { cookie },
        payload: { invitationExpiryDays: 30 },
      });
    });

    it('is a periodic job of the worker', () => {
      expect(registries.jobHandlers['invitations.expire']).toBeTypeOf('function');
      expect(registries.periodicJobs.map((j) => j.name)).toContain('invitations.expire');
    });
  });
}
