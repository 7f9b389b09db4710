/**
 * Approving many pending people at once (`POST /api/admin/people/approve`) through the same core
 * as approving one, with a result per person and a cap; and the Pending tab's "came from".
 */
import { beforeAll, expect, it } from 'vitest';
import { limits } from '../../shared/limits.js';
import type { MembershipSource } from '../../shared/enums.js';
import type { PersonOrigin } from '../../shared/people.js';
import { insertMemberships } from '../memberships/index.js';
import { buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';

describeEachDb('bulk approve and where pending people came from', (t) => {
  const app = useTestApp(t);
  let cookie = '';
  let adminId = 0;
  beforeAll(async () => {
    const admin = await buildAdmin(t().ctx, { firstName: 'Ada', lastName: 'Admin' });
    adminId = admin.id;
    cookie = await sessionCookie(t().ctx, admin.id);
  });
  const approve = (ids: number[]) =>
    app().inject({ method: 'POST', url: '/api/admin/people/approve', headers: { cookie }, payload: { ids } });
  const statusOf = async (id: number) =>
    (await t().ctx.db.selectFrom('person').select('status').where('id', '=', id).executeTakeFirst())?.status;
  const addOrigin = async (personId: number, communityId: number, source: MembershipSource, invitedBy?: number) => {
    const now = t().clock.now();
    await insertMemberships(t().ctx.db, [
      {
        community_id: communityId,
        person_id: personId,
        state: source === 'landing' ? 'requested' : 'invited',
        role: 'member',
        source,
        invited_by: invitedBy ?? null,
        invited_at: source === 'landing' ? null : now,
        data_job_id: null,
        message: null,
        email_status: source === 'landing' ? null : 'not_sent',
        email_outbox_id: null,
        emailed_at: null,
        joined_at: null,
        created_at: now,
        updated_at: now,
      },
    ]);
  };

  it('approves every pending person named, as a single approve would: active, landing requests joined, audited', async () => {
    const { ctx } = t();
    const community = await buildCommunity(ctx);
    const a = await buildPerson(ctx, { status: 'pending' });
    const b = await buildPerson(ctx, { status: 'pending' });
    await addOrigin(b.id, community.id, 'landing');
    const res = await approve([a.id, b.id, a.id]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      results: [
        { id: a.id, approved: true, error: null },
        { id: b.id, approved: true, error: null },
      ],
      approved: 2,
      failed: 0,
    });
    expect(await statusOf(a.id)).toBe('active');
    expect(await statusOf(b.id)).toBe('active');
    const membership = await ctx.db
      .selectFrom('membership')
      .select('state')
      .where('person_id', '=', b.id)
      .executeTakeFirstOrThrow();
    expect(membership.state).toBe('joined');
    const audit = await ctx.db
      .selectFrom('audit_event')
      .select(['target_id', 'actor_id'])
      .where('action', '=', 'person.approve')
      .where('target_id', 'in', [String(a.id), String(b.id)])
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit.every((e) => e.actor_id === adminId)).toBe(true);
  });

  it('gives each person their own result: one that cannot be approved does not stop the others', async () => {
    const { ctx } = t();
    const pending = await buildPerson(ctx, { status: 'pending' });
    const active = await buildPerson(ctx);
    const res = await approve([active.id, 2_000_000_000, pending.id]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ approved: 1, failed: 2 });
    expect(body.results).toEqual([
      {
        id: active.id,
        approved: false,
        error: { code: 'invalid_status_transition', message: 'Only pending people can be approved.' },
      },
      { id: 2_000_000_000, approved: false, error: { code: 'not_found', message: 'Person not found.' } },
      { id: pending.id, approved: true, error: null },
    ]);
    expect(await statusOf(pending.id)).toBe('active');
  });

  it(`refuses more than ${limits.bulkApproveMax} people with approve_too_many and approves nobody`, async () => {
    const pending = await buildPerson(t().ctx, { status: 'pending' });
    const ids = [pending.id, ...Array.from({ length: limits.bulkApproveMax }, (_, i) => 1_000_000_000 + i)];
    const res = await approve(ids);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('approve_too_many');
    expect(await statusOf(pending.id)).toBe('pending');
    expect((await approve([])).json().error.code).toBe('validation_failed');
  });

  it('the Pending tab says where each person came from: landing page, invitation, data job or sign-up', async () => {
    const { ctx } = t();
    const tag = `origin${Date.now().toString(36)}`;
    const landing = await buildCommunity(ctx, { name: `Landing ${tag}` });
    const invited = await buildCommunity(ctx, { name: `Invited ${tag}` });
    const people = {
      landing: await buildPerson(ctx, { status: 'pending', firstName: tag, lastName: 'Landing' }),
      invite: await buildPerson(ctx, { status: 'pending', firstName: tag, lastName: 'Invite' }),
      job: await buildPerson(ctx, { status: 'pending', firstName: tag, lastName: 'Job' }),
      signUp: await buildPerson(ctx, { status: 'pending', firstName: tag, lastName: 'SignUp' }),
    };
    await addOrigin(people.landing.id, landing.id, 'landing');
    t().clock.advance(1000);
    await addOrigin(people.landing.id, invited.id, 'direct', adminId);
    await addOrigin(people.invite.id, invited.id, 'direct', adminId);
    await addOrigin(people.job.id, invited.id, 'data_job');
    const res = await app().inject({ url: `/api/admin/people?status=pending&q=${tag}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const originOf = (id: number) =>
      (res.json().items as { id: number; origin: PersonOrigin }[]).find((i) => i.id === id)?.origin;
    expect(originOf(people.landing.id)).toEqual({
      kind: 'landing',
      communityId: landing.id,
      communityName: `Landing ${tag}`,
      invitedBy: null,
      dataJobId: null,
    });
    expect(originOf(people.invite.id)).toEqual({
      kind: 'invite',
      communityId: invited.id,
      communityName: `Invited ${tag}`,
      invitedBy: 'Ada Admin',
      dataJobId: null,
    });
    expect(originOf(people.job.id)).toMatchObject({ kind: 'data_job', communityId: invited.id });
    expect(originOf(people.signUp.id)).toEqual({
      kind: 'sign_up',
      communityId: null,
      communityName: null,
      invitedBy: null,
      dataJobId: null,
    });
    const active = await app().inject({ url: `/api/admin/people?status=active`, headers: { cookie } });
    expect(active.json().items[0]).not.toHaveProperty('origin');
  });
});
