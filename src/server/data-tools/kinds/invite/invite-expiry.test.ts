/**
 * An invite job's expiry option: its invitations expire after the job's days (or never) instead
 * of the site's setting, only an invite job takes it, a later file with the same headers is not
 * offered it, and the job's page counts its invitations that have since expired. Both databases,
 * manual clock.
 */
import { expect, it } from 'vitest';
import { sweepExpiredInvitations } from '../../../invitations/invitation-expiry.service.js';
import { findMembership } from '../../../memberships/index.js';
import { buildCommunity, buildPerson } from '../../../testing/factories.js';
import { useTestApp } from '../../../testing/test-app.js';
import { describeEachDb } from '../../../testing/test-db.js';
import { adminCookie, runJob, upload } from '../../test-support.js';

const DAY = 24 * 60 * 60 * 1000;
const byUniqueId = { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' };

describeEachDb('data tools: an invite job’s expiry', (t) => {
  const app = useTestApp(t);
  let n = 0;

  async function inviteJob(mapping: Record<string, unknown>) {
    const { ctx } = t();
    const { cookie } = await adminCookie(ctx);
    const community = await buildCommunity(ctx);
    const person = await buildPerson(ctx, { uniqueId: `JX-${community.id}-${n++}` });
    const job = await runJob(app(), ctx, cookie, {
      type: 'invite_to_community',
      file: ['Community ID,Unique ID', `${community.id},${person.unique_id}`].join('\r\n'),
      mapping,
    });
    expect(job.status).toBe('completed');
    return { job, community, person };
  }

  it('its invitations expire after the job’s days, or never, instead of the site’s setting', async () => {
    const { ctx, clock } = t();
    const week = await inviteJob({ ...byUniqueId, expiresInDays: 7 });
    expect(week.job.mapping).toMatchObject({ expiresInDays: 7 });
    const made = ctx.clock.now();
    const row = await findMembership(ctx.db, week.community.id, week.person.id);
    expect(row?.expires_at).toBeGreaterThan(made - DAY);
    expect(row?.expires_at).toBeLessThanOrEqual(made + 7 * DAY);
    const never = await inviteJob({ ...byUniqueId, expiresInDays: null });
    expect((await findMembership(ctx.db, never.community.id, never.person.id))?.expires_at).toBeNull();
    const site = await inviteJob(byUniqueId);
    expect((await findMembership(ctx.db, site.community.id, site.person.id))?.expires_at).toBe(
      ctx.clock.now() + 30 * DAY,
    );

    // the job page counts the invitations that have since expired; the others count none
    clock.advance(8 * DAY);
    await sweepExpiredInvitations(ctx);
    // sessions end while the clock runs for days: sign in afresh
    const { cookie } = await adminCookie(ctx);
    const page = async (id: number) =>
      (await app().inject({ url: `/api/admin/data-jobs/${id}`, headers: { cookie } })).json();
    expect(await page(week.job.id)).toMatchObject({
      expiredInvitations: 1,
      counters: { outcomes: { invited: 1 } },
    });
    expect((await page(never.job.id)).expiredInvitations).toBe(0);
    expect((await page(site.job.id)).expiredInvitations).toBe(0);
  });

  it('only an invite job takes it, within 1 and 3,650 days; a later file is not offered it', async () => {
    const { cookie } = await adminCookie(t().ctx);
    const map = async (id: number, mapping: Record<string, unknown>) =>
      app().inject({ method: 'PUT', url: `/api/admin/data-jobs/${id}/mapping`, headers: { cookie }, payload: mapping });
    const deactivate = await upload(app(), cookie, { type: 'deactivate', file: 'Unique ID\nU-1\n' });
    const refused = await map(deactivate.json().id as number, { keyColumn: 'Unique ID', expiresInDays: 5 });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: { code: 'mapping_invalid', details: { field: 'expiresInDays' } } });

    const file = 'Community ID,Unique ID\n1,U-1\n';
    const first = (await upload(app(), cookie, { type: 'invite_to_community', file })).json().id as number;
    for (const days of [0, 3651, 2.5])
      expect((await map(first, { ...byUniqueId, expiresInDays: days })).statusCode).toBe(400);
    expect((await map(first, { ...byUniqueId, expiresInDays: 9 })).statusCode).toBe(200);
    const second = await upload(app(), cookie, { type: 'invite_to_community', file });
    expect(second.json()).toMatchObject({ mappingRemembered: true });
    expect(second.json().suggestedMapping).not.toHaveProperty('expiresInDays');
  });
});
