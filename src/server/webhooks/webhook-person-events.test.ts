/**
 * The webhook events of person merges, update-people jobs and a leader's decline (both
 * databases): each is queued in the transaction of the change, as the delivery rows of the
 * endpoints that want it, and nothing is queued by a dry run or an unchanged row.
 */
import { beforeEach, expect, it } from 'vitest';
import { ensureMemberType } from '../people/member-type.repository.js';
import { approvePerson } from '../people/person-status.service.js';
import { adminCookie, peopleByUniqueId, runJob, upload } from '../data-tools/test-support.js';
import { addMembership, buildCommunity, buildPerson } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';

describeEachDb('webhook events of people and join requests', (t) => {
  const app = useTestApp(t);
  let cookie = '';
  let adminId = 0;
  let endpointId = 0;

  beforeEach(async () => {
    const ctx = t().ctx;
    await ctx.db.deleteFrom('webhook_delivery').execute();
    await ctx.db.deleteFrom('webhook_endpoint').execute();
    ({ cookie, adminId } = await adminCookie(ctx));
    const hook = await app().inject({
      method: 'POST',
      url: '/api/admin/webhooks',
      headers: { cookie },
      payload: {
        url: 'https://hooks.example.org/convene',
        events: ['person.created', 'person.activated', 'person.updated', 'membership.declined', 'membership.joined'],
      },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    endpointId = hook.json().endpoint.id as number;
  });

  const queued = async () =>
    (
      await t()
        .ctx.db.selectFrom('webhook_delivery')
        .select(['event_type', 'person_id', 'data'])
        .where('endpoint_id', '=', endpointId)
        .orderBy('id')
        .execute()
    ).map((d) => ({ type: d.event_type, personId: d.person_id, data: JSON.parse(d.data) as Record<string, unknown> }));

  it('an approval that merges a pending person into a pre-verified record: person.activated for the record, naming who it absorbed', async () => {
    const ctx = t().ctx;
    const record = await buildPerson(ctx, { status: 'pre_verified', uniqueId: 'M-1', email: null });
    const pending = await buildPerson(ctx, { status: 'pending', email: 'signed.up@example.edu' });
    const plain = await buildPerson(ctx, { status: 'pending', email: 'plain@example.edu' });
    const actor = { id: adminId };

    const merged = await approvePerson(ctx, actor, pending.id, { uniqueId: 'M-1' });
    expect(merged.id).toBe(record.id);
    await approvePerson(ctx, actor, plain.id);
    expect(await queued()).toEqual([
      {
        type: 'person.activated',
        personId: record.id,
        data: {
          personId: record.id,
          uniqueId: 'M-1',
          email: 'signed.up@example.edu',
          from: 'pre_verified',
          mergedFrom: pending.id,
        },
      },
      {
        type: 'person.activated',
        personId: plain.id,
        data: { personId: plain.id, uniqueId: null, email: 'plain@example.edu', from: 'pending' },
      },
    ]);
  });

  it('an approval refused (the Unique ID belongs to an active person) queues nothing', async () => {
    const ctx = t().ctx;
    await buildPerson(ctx, { uniqueId: 'M-2' });
    const pending = await buildPerson(ctx, { status: 'pending' });
    await expect(approvePerson(ctx, { id: adminId }, pending.id, { uniqueId: 'M-2' })).rejects.toMatchObject({
      code: 'unique_id_taken',
    });
    expect(await queued()).toEqual([]);
  });

  it('an update-people job: person.updated for each person it changed, with the new values; none for a dry run or an unchanged row', async () => {
    const ctx = t().ctx;
    const staff = await ensureMemberType(ctx.db, 'Faculty/Staff', ctx.clock.now());
    const pre = await buildPerson(ctx, { status: 'pre_verified', uniqueId: 'W-1', email: 'old@example.edu' });
    const active = await buildPerson(ctx, { uniqueId: 'W-2', firstName: 'Ann', lastName: 'Old' });
    await buildPerson(ctx, { uniqueId: 'W-3', firstName: 'Sam', lastName: 'Same' });
    const file = [
      'Unique ID,First Name,Last Name,Email,Member Type',
      'W-1,Pat,New,New@Example.edu,faculty/staff',
      'W-2,,Newer,,',
      'W-3,Sam,Same,,',
      'W-404,No,Body,,',
    ].join('\r\n');
    const mapping = peopleByUniqueId;

    // A dry run (upload and mapping, never started) changes nobody and says nothing.
    const up = await upload(app(), cookie, { type: 'update_people', file });
    const mapped = await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${up.json().id}/mapping`,
      headers: { cookie },
      payload: mapping,
    });
    expect(mapped.json().dryRun.outcomes).toEqual({ updated: 2, unchanged: 1, skipped: 1 });
    expect(await queued()).toEqual([]);

    const job = await runJob(app(), ctx, cookie, { type: 'update_people', file, mapping });
    expect(job.status).toBe('completed');
    expect(await queued()).toEqual([
      {
        type: 'person.updated',
        personId: pre.id,
        data: {
          personId: pre.id,
          uniqueId: 'W-1',
          changes: { firstName: 'Pat', lastName: 'New', email: 'new@example.edu', memberTypeId: staff.id },
          dataJobId: job.id,
        },
      },
      {
        type: 'person.updated',
        personId: active.id,
        data: { personId: active.id, uniqueId: 'W-2', changes: { lastName: 'Newer' }, dataJobId: job.id },
      },
    ]);
  });

  it('a leader declines a join request: membership.declined of a request; deciding it again queues nothing more', async () => {
    const ctx = t().ctx;
    const community = await buildCommunity(ctx, { privacy: 'private' });
    const asker = await buildPerson(ctx);
    const invitee = await buildPerson(ctx);
    await addMembership(ctx, community.id, asker.id, 'requested');
    await addMembership(ctx, community.id, invitee.id, 'invited');
    const decline = () =>
      app().inject({
        method: 'POST',
        url: `/api/communities/${community.id}/requests/${asker.id}/decline`,
        headers: { cookie },
      });
    expect((await decline()).json()).toEqual({ state: 'removed' });
    expect((await decline()).json()).toEqual({ state: 'removed' });
    // An invitation is no request: the leader's decline refuses it and says nothing.
    const declined = await app().inject({
      method: 'POST',
      url: `/api/communities/${community.id}/requests/${invitee.id}/decline`,
      headers: { cookie },
    });
    expect(declined.statusCode).toBe(409);
    expect(await queued()).toEqual([
      {
        type: 'membership.declined',
        personId: asker.id,
        data: { personId: asker.id, communityId: community.id, of: 'request' },
      },
    ]);
  });
});
