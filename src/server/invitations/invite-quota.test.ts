/** The inviter's daily email quota, the resend window across revoke and re-invite, and leaders' new people. Both databases. */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { isPostgres } from '../db/db.js';
import type { InviteQuota } from '../../shared/invitations.js';
import type { SiteSettings } from '../../shared/site-settings.js';
import { settingKeys, writeSettingValue } from '../site/site-settings.repository.js';
import { addMembership, buildAdmin, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { freshEmail, invite, ledCommunity, membershipOf, outboxTo, resultFor } from './invitation-test-helpers.js';

const hour = 60 * 60 * 1000;
const addresses = (n: number) => Array.from({ length: n }, () => freshEmail('quota'));

describeEachDb('invite: quotas and the resend window', (t) => {
  const app = useTestApp(t);

  const setSettings = async (settings: Partial<SiteSettings>) => {
    const { ctx } = t();
    for (const [name, value] of Object.entries(settings))
      await writeSettingValue(ctx.db, settingKeys[name as keyof SiteSettings], value, ctx.clock.now());
  };
  const count = async (table: 'person' | 'membership' | 'email_outbox') =>
    Number(
      (
        await t()
          .ctx.db.selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counts = async () => ({
    people: await count('person'),
    memberships: await count('membership'),
    emails: await count('email_outbox'),
  });
  const quotaOf = async (communityId: number, cookie: string) => {
    const res = await app().inject({ url: `/api/communities/${communityId}/invite-quota`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    return res.json() as InviteQuota;
  };

  it('a batch over the leader quota is refused whole with 429 before anything is written; the window rolls over 24 hours', async () => {
    const { ctx } = t();
    await setSettings({ leaderDailyEmailQuota: 5, adminDailyEmailQuota: 1000, leadersMayInviteNewPeople: true });
    const { community, cookie } = await ledCommunity(ctx);
    expect((await invite(app(), cookie, community.id, { emails: addresses(3).join('\n') })).status).toBe(200);
    expect(await quotaOf(community.id, cookie)).toEqual({ limit: 5, used: 3, remaining: 2 });

    const before = await counts();
    const over = await invite(app(), cookie, community.id, { emails: addresses(3).join('\n') });
    expect(over.status).toBe(429);
    expect(over.body.error).toMatchObject({
      code: 'invitation_quota_exceeded',
      details: { limit: 5, used: 3, requested: 3 },
    });
    expect(await counts()).toEqual(before);

    // Exactly up to the limit is allowed; a batch that sends no email never counts.
    expect((await invite(app(), cookie, community.id, { emails: addresses(2).join('\n') })).status).toBe(200);
    const quiet = await invite(app(), cookie, community.id, { emails: addresses(4).join('\n'), sendEmail: false });
    expect(quiet.status).toBe(200);
    expect(quiet.body.summary.invited).toBe(4);
    const pre = await buildPerson(ctx, { status: 'pre_verified' });
    expect((await invite(app(), cookie, community.id, { personIds: [pre.id] })).status).toBe(200);
    expect((await invite(app(), cookie, community.id, { emails: freshEmail('one') })).status).toBe(429);

    t().clock.advance(24 * hour + 1);
    expect(await quotaOf(community.id, cookie)).toEqual({ limit: 5, used: 0, remaining: 5 });
    expect((await invite(app(), cookie, community.id, { emails: freshEmail('next-day') })).status).toBe(200);
  });

  it("counts the inviter's emails through the sender index", async () => {
    const db = t().ctx.db;
    const plan = await db.transaction().execute(async (trx) => {
      const query = sql`SELECT count(*) FROM email_outbox WHERE sender_id = ${7} AND created_at >= ${0} AND template = 'community_invitation'`;
      if (isPostgres(trx)) {
        // An empty table would be scanned whatever the indexes: ask whether the index can answer.
        await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        const r = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${query}`.execute(trx);
        return r.rows.map((x) => x['QUERY PLAN']).join('\n');
      }
      const r = await sql<{ detail: string }>`EXPLAIN QUERY PLAN ${query}`.execute(trx);
      return r.rows.map((x) => x.detail).join('\n');
    });
    expect(plan).toContain('email_outbox_sender_idx');
  });

  it('admins get the admin quota; each inviter has their own count', async () => {
    const { ctx } = t();
    await setSettings({ leaderDailyEmailQuota: 1, adminDailyEmailQuota: 3 });
    const { community, cookie } = await ledCommunity(ctx);
    const admin = await buildAdmin(ctx);
    const adminCookie = await sessionCookie(ctx, admin.id);
    expect(await quotaOf(community.id, adminCookie)).toEqual({ limit: 3, used: 0, remaining: 3 });
    expect((await invite(app(), adminCookie, community.id, { emails: addresses(3).join('\n') })).status).toBe(200);
    expect((await invite(app(), adminCookie, community.id, { emails: freshEmail() })).status).toBe(429);
    expect((await invite(app(), cookie, community.id, { emails: addresses(2).join('\n') })).status).toBe(429);
    expect((await invite(app(), cookie, community.id, { emails: freshEmail() })).status).toBe(200);
    const member = await buildPerson(ctx);
    await addMembership(ctx, community.id, member.id, 'joined');
    const res = await app().inject({
      url: `/api/communities/${community.id}/invite-quota`,
      headers: { cookie: await sessionCookie(ctx, member.id) },
    });
    expect(res.statusCode).toBe(403);
  });

  it('Resend counts against the quota and is refused over it', async () => {
    const { ctx } = t();
    await setSettings({ leaderDailyEmailQuota: 1 });
    const { community, cookie } = await ledCommunity(ctx);
    const person = await buildPerson(ctx);
    expect((await invite(app(), cookie, community.id, { personIds: [person.id] })).status).toBe(200);
    t().clock.advance(hour + 1);
    const resend = await app().inject({
      method: 'POST',
      url: `/api/communities/${community.id}/invitations/${person.id}/resend`,
      headers: { cookie },
    });
    expect(resend.statusCode).toBe(429);
    expect(resend.json()).toMatchObject({ error: { code: 'invitation_quota_exceeded' } });
    expect(await outboxTo(ctx, person.email as string)).toHaveLength(1);
  });

  it('revoke then re-invite within the hour invites without a new email; after the hour it emails again', async () => {
    const { ctx } = t();
    await setSettings({ leaderDailyEmailQuota: 500 });
    const { community, cookie } = await ledCommunity(ctx);
    const person = await buildPerson(ctx);
    const email = person.email as string;
    const revoke = () =>
      app().inject({
        method: 'POST',
        url: `/api/communities/${community.id}/invitations/${person.id}/revoke`,
        headers: { cookie },
      });
    expect(resultFor((await invite(app(), cookie, community.id, { personIds: [person.id] })).body, email).reason).toBe(
      'emailed',
    );
    for (let i = 0; i < 3; i++) {
      t().clock.advance(10 * 60 * 1000);
      expect((await revoke()).statusCode).toBe(200);
      const again = await invite(app(), cookie, community.id, { personIds: [person.id] });
      expect(resultFor(again.body, email)).toMatchObject({
        outcome: 'invited',
        reason: 'email_held',
        message: 'invited, email held: sent less than an hour ago',
      });
    }
    expect(await outboxTo(ctx, email)).toHaveLength(1);
    expect(await membershipOf(ctx, community.id, person.id)).toMatchObject({
      state: 'invited',
      email_status: 'not_sent',
    });

    t().clock.advance(31 * 60 * 1000);
    expect((await revoke()).statusCode).toBe(200);
    const later = await invite(app(), cookie, community.id, { personIds: [person.id] });
    expect(resultFor(later.body, email).reason).toBe('emailed');
    expect(await outboxTo(ctx, email)).toHaveLength(2);
  });

  it("leadersMayInviteNewPeople off: a leader's new addresses are skipped with a reason, nobody is created; admins unaffected", async () => {
    const { ctx } = t();
    await setSettings({ leadersMayInviteNewPeople: false, leaderDailyEmailQuota: 500 });
    const { community, cookie } = await ledCommunity(ctx);
    const known = await buildPerson(ctx);
    const stranger = freshEmail('stranger');
    const before = await count('person');
    const res = await invite(app(), cookie, community.id, { emails: `${stranger}\n${known.email}` });
    expect(res.status).toBe(200);
    expect(resultFor(res.body, stranger)).toMatchObject({
      outcome: 'skipped',
      reason: 'new_people_not_allowed',
      created: false,
    });
    expect(resultFor(res.body, known.email as string).outcome).toBe('invited');
    expect(await count('person')).toBe(before);
    expect(await outboxTo(ctx, stranger)).toHaveLength(0);

    const admin = await buildAdmin(ctx);
    const byAdmin = await invite(app(), await sessionCookie(ctx, admin.id), community.id, { emails: stranger });
    expect(resultFor(byAdmin.body, stranger)).toMatchObject({ outcome: 'invited', created: true });
    await setSettings({ leadersMayInviteNewPeople: true });
  });
});
