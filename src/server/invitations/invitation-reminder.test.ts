/**
 * Reminders: on the site's schedule (a millisecond before and after each step), each step once,
 * never to the people whose invitation was not emailed or is no longer open, one email per person
 * listing every due invitation, at most one a day. Both databases, manual clock.
 */
import { expect, it } from 'vitest';
import type { AppContext } from '../context.js';
import { adminCookie, runJob } from '../data-tools/test-support.js';
import { suppressUnsubscribedAddress } from '../email/suppression.repository.js';
import { buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { type InvitationReminderPayload, invitationReminderTemplate } from './invitation-reminder-email.js';
import { findDueReminderPeople } from '../memberships/index.js';
import { registries } from '../modules.js';
import { explainQuery, recordQueries } from '../testing/query-plans.js';
import { sweepInvitationReminders } from './invitation-reminder.service.js';
import { joinPathFor } from './invitation-email.js';
import { invitationLinkToken, withInvitationLink } from './invitation-link.js';
import { freshEmail, invite, ledCommunity, membershipOf } from './invitation-test-helpers.js';

const DAY = 24 * 60 * 60 * 1000;

async function remindersTo(ctx: AppContext, email: string) {
  const rows = await ctx.db
    .selectFrom('email_outbox')
    .select(['payload', 'created_at'])
    .where('to_address', '=', email)
    .where('template', '=', 'invitation_reminder')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...(JSON.parse(r.payload) as InvitationReminderPayload), at: r.created_at }));
}
/** funnel_counter summed over PostgreSQL's slots */
const funnelCounts = async (ctx: AppContext) =>
  (
    await ctx.db
      .selectFrom('funnel_counter')
      .select(['scope_kind', 'scope_id', 'week', 'step', (eb) => eb.fn.sum<number | string>('n').as('n')])
      .groupBy(['scope_kind', 'scope_id', 'week', 'step'])
      .orderBy('scope_kind')
      .orderBy('scope_id')
      .orderBy('week')
      .orderBy('step')
      .execute()
  ).map((r) => ({ ...r, scope_id: Number(r.scope_id), week: Number(r.week), n: Number(r.n) }));
const names = (r: InvitationReminderPayload) => r.invitations.map((i) => i.communityName);

// Each case twice: the sweep through its due index (few due), and walking the table (many due).
for (const tableOrderFrom of [undefined, 0]) {
  describeEachDb(`invitation reminders${tableOrderFrom === 0 ? ' (sweeping in table order)' : ''}`, (t) => {
    const app = useTestApp(t);
    const post = (url: string, cookie: string) => app().inject({ method: 'POST', url, headers: { cookie } });
    const sweep = () => sweepInvitationReminders(t().ctx, { tableOrderFrom });

    /** A person invited by email to a new community now (site schedule: 3 and 10 days, 2 before a 30-day expiry). */
    async function emailed(body: { reminders?: boolean; expiresInDays?: number | null } = {}, email = freshEmail()) {
      const { ctx } = t();
      const led = await ledCommunity(ctx, { privacy: 'invite_only' });
      const person = await buildPerson(ctx, { email });
      const res = await invite(app(), led.cookie, led.community.id, { personIds: [person.id], ...body });
      expect(res.body.results[0]?.reason).toBe('emailed');
      return { ...led, person, email, personCookie: await sessionCookie(ctx, person.id) };
    }

    it('sends each step of the schedule once, not a millisecond early, and none after the last', async () => {
      const { ctx, clock } = t();
      const made = ctx.clock.now();
      const { email, community, person } = await emailed();
      for (const step of [3 * DAY, 10 * DAY, 28 * DAY]) {
        clock.set(made + step - 1);
        await sweep();
        const before = (await remindersTo(ctx, email)).length;
        clock.set(made + step);
        await sweep();
        await sweep();
        const after = await remindersTo(ctx, email);
        expect(after).toHaveLength(before + 1);
        expect(after[after.length - 1]?.at).toBe(made + step);
      }
      clock.set(made + 30 * DAY - 1);
      await sweep();
      expect(await remindersTo(ctx, email)).toHaveLength(3);
      expect(await membershipOf(ctx, community.id, person.id)).toMatchObject({
        reminders_sent: 3,
        next_reminder_at: null,
        reminded_at: made + 28 * DAY,
      });
    });

    it('renders the reminder with the Join link, the expiry, escaped names and one-click unsubscribe', async () => {
      const { ctx, clock } = t();
      const made = ctx.clock.now();
      const { email, community } = await emailed();
      await ctx.db.updateTable('community').set({ name: 'Chess <Club> & Co' }).where('id', '=', community.id).execute();
      clock.set(made + 3 * DAY + 1);
      await sweep();
      const [reminder] = await remindersTo(ctx, email);
      expect(reminder?.invitations).toEqual([
        {
          communityName: 'Chess <Club> & Co',
          communityHeadline: community.headline,
          joinPath: `/communities/${community.id}`,
          expiresAt: made + 30 * DAY,
          invitation: { communityId: community.id, personId: expect.any(Number) },
        },
      ]);
      const rendered = invitationReminderTemplate.render(reminder as InvitationReminderPayload, ctx.config);
      expect(rendered?.subject).toBe(`Reminder: you are invited to join Chess <Club> & Co on ${ctx.config.siteName}`);
      expect(rendered?.html).toContain('Join Chess &lt;Club&gt; &amp; Co');
      expect(rendered?.html).not.toContain('<Club>');
      expect(rendered?.text).toContain(`${ctx.config.publicUrl}/communities/${community.id}?inv=${community.id}.`);
      expect(rendered?.text).toMatch(/The invitation expires on \d+ \w+ \d{4}\./);
      expect(registries.emailTemplates).toHaveProperty('invitation_reminder');
      expect(rendered?.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      expect(rendered?.text).toContain(`${ctx.config.publicUrl}/unsubscribe/`);
    });

    it('links a person without an account to the landing page or sign-in, their address in the fragment', async () => {
      const { ctx, clock } = t();
      const made = ctx.clock.now();
      const email = freshEmail('new+reminded');
      const withLanding = await ledCommunity(ctx, { landingEnabled: true });
      const without = await ledCommunity(ctx);
      for (const led of [withLanding, without])
        expect((await invite(app(), led.cookie, led.community.id, { emails: email })).body.results[0]?.reason).toBe(
          'emailed',
        );
      const person = await ctx.db.selectFrom('person').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
      expect(person.status).toBe('invited');
      clock.set(made + 3 * DAY);
      expect(await sweep()).toEqual({ emails: 1, invitations: 2 });
      const [reminder] = await remindersTo(ctx, email);
      expect(reminder?.newToSite).toBe(true);
      const rendered = invitationReminderTemplate.render(reminder as InvitationReminderPayload, ctx.config);
      // the links the invitation email gives: joinPathFor's path, the invitation's token before the fragment
      for (const { community } of [withLanding, without]) {
        const path = joinPathFor(community, person);
        expect(path).toContain(`#email=${encodeURIComponent(email)}`);
        const token = invitationLinkToken(ctx.config.secret, community.id, person.id);
        expect(rendered?.text).toContain(`${ctx.config.publicUrl}${withInvitationLink(path, token)}\n`);
      }
      expect(rendered?.text).toContain(`/join/${withLanding.community.slug}?inv=`);
      expect(rendered?.text).toContain(`/sign-in?inv=${without.community.id}.`);
    });

    it('lists every due invitation of a person in one email', async () => {
      const { ctx, clock } = t();
      const made = ctx.clock.now();
      const email = freshEmail();
      const first = await emailed({}, email);
      const second = await ledCommunity(ctx);
      await invite(app(), second.cookie, second.community.id, { personIds: [first.person.id] });
      clock.set(made + 3 * DAY);
      const funnelBefore = await funnelCounts(ctx);
      expect(await sweep()).toEqual({ emails: 1, invitations: 2 });
      // a reminder is no step of the funnel: its bookkeeping counts nothing
      expect(await funnelCounts(ctx)).toEqual(funnelBefore);
      expect(funnelBefore.length).toBeGreaterThan(0);
      const reminders = await remindersTo(ctx, email);
      expect(reminders).toHaveLength(1);
      expect(names(reminders[0] as InvitationReminderPayload).sort()).toEqual(
        [first.community.name, second.community.name].sort(),
      );
    });

    it('sends a person at most one reminder a day: a later one waits for the day to pass, then comes alone', async () => {
      const { ctx, clock } = t();
      const made = ctx.clock.now();
      const email = freshEmail();
      const first = await emailed({}, email);
      clock.set(made + 12 * 60 * 60 * 1000);
      const second = await ledCommunity(ctx);
      await invite(app(), second.cookie, second.community.id, { personIds: [first.person.id] });
      clock.set(made + 3 * DAY);
      await sweep();
      clock.set(made + 3 * DAY + 12 * 60 * 60 * 1000);
      await sweep();
      expect((await remindersTo(ctx, email)).map(names)).toEqual([[first.community.name]]);
      clock.set(made + 4 * DAY - 1);
      await sweep();
      expect(await remindersTo(ctx, email)).toHaveLength(1);
      clock.set(made + 4 * DAY);
      await sweep();
      expect((await remindersTo(ctx, email)).map(names)).toEqual([[first.community.name], [second.community.name]]);
      // the delay moved the second invitation's first step, not its schedule: its next is day 10.5
      expect((await membershipOf(ctx, second.community.id, first.person.id))?.next_reminder_at).toBe(
        made + 12 * 60 * 60 * 1000 + 10 * DAY,
      );
    });

    it('sends none when the batch turned reminders off, or the invitation was not emailed', async () => {
      const { ctx, clock } = t();
      const made = ctx.clock.now();
      const off = await emailed({ reminders: false });
      const led = await ledCommunity(ctx);
      const unchecked = await buildPerson(ctx);
      const preVerified = await buildPerson(ctx, { status: 'pre_verified' });
      const noAddress = await buildPerson(ctx, { email: null });
      const res = await invite(app(), led.cookie, led.community.id, { personIds: [unchecked.id], sendEmail: false });
      expect(res.body.results[0]?.reason).toBe('email_not_requested');
      const silent = await invite(app(), led.cookie, led.community.id, { personIds: [preVerified.id, noAddress.id] });
      expect(silent.body.results.map((r) => r.reason).sort()).toEqual(['no_email_address', 'pre_verified']);
      const { cookie } = await adminCookie(ctx);
      const fromJob = await buildPerson(ctx, { uniqueId: `U-${made}-${Math.random()}` });
      const job = await runJob(app(), ctx, cookie, {
        type: 'invite_to_community',
        file: `Community ID,Unique ID\n${led.community.id},${fromJob.unique_id}\n`,
        mapping: { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' },
      });
      expect(job.counters.outcomes).toMatchObject({ invited: 1 });
      clock.set(made + 29 * DAY);
      expect(await sweep()).toEqual({ emails: 0, invitations: 0 });
      for (const p of [off.person, unchecked, preVerified, noAddress, fromJob])
        expect(
          (await membershipOf(ctx, p === off.person ? off.community.id : led.community.id, p.id))?.next_reminder_at,
        ).toBeNull();
    });

    it('sends none after join, decline, Not now, revoke, expiry, unsubscribe or deactivation', async () => {
      const { ctx, clock } = t();
      const made = ctx.clock.now();
      const joined = await emailed();
      expect((await post(`/api/communities/${joined.community.id}/join`, joined.personCookie)).statusCode).toBe(200);
      const declined = await emailed();
      expect((await post(`/api/communities/${declined.community.id}/decline`, declined.personCookie)).statusCode).toBe(
        200,
      );
      const hidden = await emailed();
      expect((await post(`/api/communities/${hidden.community.id}/dismiss`, hidden.personCookie)).statusCode).toBe(200);
      const revoked = await emailed();
      const revoke = await post(
        `/api/communities/${revoked.community.id}/invitations/${revoked.person.id}/revoke`,
        revoked.cookie,
      );
      expect(revoke.statusCode).toBe(200);
      const expired = await emailed({ expiresInDays: 3 });
      const unsubscribed = await emailed();
      await suppressUnsubscribedAddress(ctx.db, unsubscribed.email, null, made);
      const deactivated = await emailed();
      const { cookie: admin } = await adminCookie(ctx);
      expect((await post(`/api/admin/people/${deactivated.person.id}/deactivate`, admin)).statusCode).toBe(200);
      const open = await emailed();

      clock.set(made + 4 * DAY);
      await sweep();
      for (const quiet of [joined, declined, hidden, revoked, expired, unsubscribed, deactivated])
        expect(await remindersTo(ctx, quiet.email)).toEqual([]);
      expect(await remindersTo(ctx, open.email)).toHaveLength(1);
      // an unsubscribed address's reminders stop for good, even after the suppression is lifted
      await ctx.db.deleteFrom('suppression').where('email', '=', unsubscribed.email).execute();
      clock.set(made + 29 * DAY);
      await sweep();
      expect(await remindersTo(ctx, unsubscribed.email)).toEqual([]);
    });

    it('a hidden invitation brought back gets its reminders again', async () => {
      const { ctx, clock } = t();
      const made = ctx.clock.now();
      const hidden = await emailed();
      await post(`/api/communities/${hidden.community.id}/dismiss`, hidden.personCookie);
      clock.set(made + 4 * DAY);
      await sweep();
      expect(await remindersTo(ctx, hidden.email)).toEqual([]);
      expect((await post(`/api/communities/${hidden.community.id}/restore`, hidden.personCookie)).statusCode).toBe(200);
      await sweep();
      expect(await remindersTo(ctx, hidden.email)).toHaveLength(1);
    });

    it('sweeps in batches and resumes: every due person once, however small the batch', async () => {
      const { ctx, clock } = t();
      const made = ctx.clock.now();
      const { community, cookie } = await ledCommunity(ctx);
      const people = await Promise.all([1, 2, 3, 4, 5].map(() => buildPerson(ctx, { email: freshEmail() })));
      await invite(app(), cookie, community.id, { personIds: people.map((p) => p.id) });
      clock.set(made + 3 * DAY);
      const stop = new AbortController();
      let batches = 0;
      await expect(
        sweepInvitationReminders(ctx, {
          tableOrderFrom,
          batchSize: 2,
          signal: stop.signal,
          heartbeat: async () => {
            if (++batches === 1) stop.abort();
          },
        }),
      ).rejects.toThrow(/abort/i);
      const sentFirst = (await Promise.all(people.map((p) => remindersTo(ctx, p.email as string)))).flat();
      // (other tests' invitations may be due in the same sweep, and come first)
      expect(sentFirst.length).toBeLessThanOrEqual(2);
      await sweepInvitationReminders(ctx, { tableOrderFrom, batchSize: 2 });
      for (const p of people) expect(await remindersTo(ctx, p.email as string)).toHaveLength(1);
    });

    it('reads the due reminders through the partial reminder index, from the start and after a cursor', async () => {
      const { ctx } = t();
      const now = ctx.clock.now();
      for (const cursor of [undefined, { at: now - DAY, personId: 1, communityId: 1 }]) {
        const queries = await recordQueries(ctx.db, (db) => findDueReminderPeople(db, now, cursor, 10));
        const [read] = queries;
        expect(read).toBeDefined();
        const { access, plan } = await explainQuery(ctx.db, read!, 'membership');
        expect(
          access.map((a) => a.index),
          plan,
        ).toEqual(['membership_reminder_due_idx']);
      }
    });

    it('is a periodic job of the worker', () => {
      expect(registries.jobHandlers['invitations.remind']).toBeTypeOf('function');
      expect(registries.periodicJobs.map((j) => j.name)).toContain('invitations.remind');
    });

    it('an extension moves the reminder before expiry to the new expiry', async () => {
      const { ctx, clock } = t();
      const made = ctx.clock.now();
      const { community, person, leader } = await emailed();
      clock.set(made + 11 * DAY);
      const cookie = await sessionCookie(ctx, leader.id);
      await sweep();
      expect((await membershipOf(ctx, community.id, person.id))?.next_reminder_at).toBe(made + 28 * DAY);
      const extended = await app().inject({
        method: 'POST',
        url: `/api/communities/${community.id}/invitations/${person.id}/extend`,
        headers: { cookie },
        payload: { expiresInDays: 20 },
      });
      expect(extended.statusCode).toBe(200);
      expect((await membershipOf(ctx, community.id, person.id))?.next_reminder_at).toBe(made + 11 * DAY + 18 * DAY);
    });
  });
}
