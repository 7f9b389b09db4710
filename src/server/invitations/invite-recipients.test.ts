/** Every row of the product's recipient table (recipient.ts), through the HTTP API, on both databases. */
import { describe, expect, it } from 'vitest';
import { addMembership, buildAdmin, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { freshEmail, invite, ledCommunity, membershipOf, outboxTo, resultFor } from './invitation-test-helpers.js';

describeEachDb('invite: the recipient table', (t) => {
  const app = useTestApp(t);

  it('active member: invited and emailed with the message; membership records who, when, how', async () => {
    const { ctx } = t();
    const { community, leader, cookie } = await ledCommunity(ctx);
    const person = await buildPerson(ctx, { firstName: 'Ada', lastName: 'Active' });
    const { status, body } = await invite(app(), cookie, community.id, {
      personIds: [person.id],
      message: 'Welcome aboard!\nSee you.',
    });
    expect(status).toBe(200);
    expect(body.results).toEqual([
      {
        email: person.email,
        personId: person.id,
        name: 'Ada Active',
        outcome: 'invited',
        reason: 'emailed',
        message: 'invited, email queued',
        created: false,
      },
    ]);
    expect(body.summary).toEqual({
      recipients: 1,
      invited: 1,
      emailed: 1,
      alreadyInvited: 0,
      skipped: 0,
      duplicatesMerged: 0,
    });
    const m = await membershipOf(ctx, community.id, person.id);
    expect(m).toMatchObject({
      state: 'invited',
      source: 'direct',
      invited_by: leader.id,
      invited_at: ctx.clock.now(),
      message: 'Welcome aboard!\nSee you.',
      email_status: 'queued',
      role: 'member',
    });
    const mail = await outboxTo(ctx, person.email as string);
    expect(mail).toHaveLength(1);
    expect(m?.email_outbox_id).toBe(mail[0].id);
    expect(mail[0].category).toBe('marketing');
    expect(JSON.parse(mail[0].payload)).toMatchObject({
      message: 'Welcome aboard!\nSee you.',
      joinPath: `/communities/${community.id}`,
      inviterName: 'Lena Leader',
    });
  });

  it('pre-verified person: invited, never emailed, and the answer points to the invite URL or Data Tools', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const person = await buildPerson(ctx, { status: 'pre_verified' });
    const { body } = await invite(app(), cookie, community.id, { emails: (person.email as string).toUpperCase() });
    const r = resultFor(body, person.email as string);
    expect(r).toMatchObject({ outcome: 'invited', reason: 'pre_verified', personId: person.id });
    expect(r.message).toBe('invited, no email: pre-verified — share their invite URL or use Data Tools');
    expect(await membershipOf(ctx, community.id, person.id)).toMatchObject({
      state: 'invited',
      email_status: 'pre_verified',
      email_outbox_id: null,
    });
    expect(await outboxTo(ctx, person.email as string)).toHaveLength(0);
  });

  it('unknown address: a person in status invited is created (name kept), invited, and emailed a link to the landing page', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx, { landingEnabled: true });
    const email = freshEmail();
    const { body } = await invite(app(), cookie, community.id, {
      emails: `Grace Brewster Hopper <${email.toUpperCase()}>`,
      message: 'Hi',
    });
    const r = resultFor(body, email);
    expect(r).toMatchObject({ outcome: 'invited', reason: 'emailed', created: true, name: 'Grace Brewster Hopper' });
    const person = await ctx.db.selectFrom('person').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(person).toMatchObject({
      status: 'invited',
      first_name: 'Grace Brewster',
      last_name: 'Hopper',
      name_key: 'grace brewster hopper',
    });
    expect(await membershipOf(ctx, community.id, person.id)).toMatchObject({
      state: 'invited',
      email_status: 'queued',
    });
    const [mail] = await outboxTo(ctx, email);
    expect(JSON.parse(mail.payload)).toMatchObject({
      joinPath: `/join/${community.slug}#email=${encodeURIComponent(email)}`,
      newToSite: true,
      message: 'Hi',
    });
  });

  it('unknown address pasted as Outlook writes it ("Last, First" <address>): first and last name the right way round', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const email = freshEmail();
    const { body } = await invite(app(), cookie, community.id, { emails: `"Smith, John" <${email}>` });
    expect(resultFor(body, email)).toMatchObject({ outcome: 'invited', created: true, name: 'John Smith' });
    const person = await ctx.db.selectFrom('person').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ first_name: 'John', last_name: 'Smith' });
  });

  it('unknown address and the landing page off: the link is sign-in with the email filled in', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx, { landingEnabled: false });
    const email = freshEmail();
    await invite(app(), cookie, community.id, { emails: email });
    const [mail] = await outboxTo(ctx, email);
    expect(JSON.parse(mail.payload).joinPath).toBe(`/sign-in#email=${encodeURIComponent(email)}`);
  });

  it('person in status invited (invited elsewhere before): invited here too, and emailed', async () => {
    const { ctx } = t();
    const first = await ledCommunity(ctx);
    const second = await ledCommunity(ctx);
    const email = freshEmail();
    await invite(app(), first.cookie, first.community.id, { emails: email });
    const { body } = await invite(app(), second.cookie, second.community.id, { emails: email });
    expect(resultFor(body, email)).toMatchObject({ outcome: 'invited', reason: 'emailed', created: false });
    expect(await outboxTo(ctx, email)).toHaveLength(2);
    expect(await ctx.db.selectFrom('person').select('id').where('email', '=', email).execute()).toHaveLength(1);
  });

  it('pending and inactive people: an admin sees them skipped with their status; nothing is written', async () => {
    const { ctx } = t();
    const { community } = await ledCommunity(ctx);
    const cookie = await sessionCookie(ctx, (await buildAdmin(ctx)).id);
    const pending = await buildPerson(ctx, { status: 'pending' });
    const inactive = await buildPerson(ctx, { status: 'inactive' });
    const { body } = await invite(app(), cookie, community.id, {
      personIds: [pending.id],
      emails: inactive.email as string,
    });
    expect(resultFor(body, pending.email as string)).toMatchObject({
      outcome: 'skipped',
      reason: 'awaiting_site_approval',
      message: 'skipped: awaiting site approval',
    });
    expect(resultFor(body, inactive.email as string)).toMatchObject({
      outcome: 'skipped',
      reason: 'inactive',
      message: 'skipped: inactive',
    });
    expect(await membershipOf(ctx, community.id, pending.id)).toBeUndefined();
    expect(await membershipOf(ctx, community.id, inactive.id)).toBeUndefined();
    expect(await outboxTo(ctx, pending.email as string)).toHaveLength(0);
  });

  it('pending and inactive people: a leader gets the answer an active person gets, and nothing is written', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const pending = await buildPerson(ctx, { status: 'pending' });
    const inactive = await buildPerson(ctx, { status: 'inactive' });
    const active = await buildPerson(ctx);
    const { body } = await invite(app(), cookie, community.id, {
      personIds: [pending.id, active.id],
      emails: inactive.email as string,
    });
    const activeAnswer = { outcome: 'invited', reason: 'emailed', message: 'invited, email queued', created: false };
    expect(resultFor(body, active.email as string)).toMatchObject(activeAnswer);
    expect(resultFor(body, pending.email as string)).toMatchObject(activeAnswer);
    expect(resultFor(body, inactive.email as string)).toMatchObject(activeAnswer);
    expect(body.summary).toEqual({
      recipients: 3,
      invited: 3,
      emailed: 3,
      alreadyInvited: 0,
      skipped: 0,
      duplicatesMerged: 0,
    });
    expect(await membershipOf(ctx, community.id, pending.id)).toBeUndefined();
    expect(await membershipOf(ctx, community.id, inactive.id)).toBeUndefined();
    expect(await outboxTo(ctx, pending.email as string)).toHaveLength(0);
    expect(await outboxTo(ctx, inactive.email as string)).toHaveLength(0);

    const quiet = await invite(app(), cookie, community.id, { personIds: [pending.id], sendEmail: false });
    expect(resultFor(quiet.body, pending.email as string)).toMatchObject({
      outcome: 'invited',
      reason: 'email_not_requested',
    });
  });

  it('already joined: skipped "already a member"; open invitation: "already invited" with no new email', async () => {
    const { ctx } = t();
    const { community, cookie, leader } = await ledCommunity(ctx);
    const member = await buildPerson(ctx);
    const invitee = await buildPerson(ctx);
    await addMembership(ctx, community.id, member.id, 'joined');
    await addMembership(ctx, community.id, invitee.id, 'invited', 'member', leader.id);
    const { body } = await invite(app(), cookie, community.id, { personIds: [member.id, invitee.id] });
    expect(resultFor(body, member.email as string)).toMatchObject({
      outcome: 'skipped',
      reason: 'already_member',
      message: 'skipped: already a member',
    });
    expect(resultFor(body, invitee.email as string)).toMatchObject({
      outcome: 'already_invited',
      reason: 'already_invited',
    });
    expect(body.summary).toMatchObject({ invited: 0, alreadyInvited: 1, skipped: 1 });
    expect(await membershipOf(ctx, community.id, member.id)).toMatchObject({ state: 'joined' });
    expect(await outboxTo(ctx, invitee.email as string)).toHaveLength(0);
  });

  it.each(['dismissed', 'left', 'removed'] as const)(
    'earlier %s: invited again, as for their status',
    async (state) => {
      const { ctx } = t();
      const { community, cookie, leader } = await ledCommunity(ctx);
      const person = await buildPerson(ctx);
      await addMembership(ctx, community.id, person.id, state);
      const { body } = await invite(app(), cookie, community.id, { personIds: [person.id], message: 'Come back' });
      expect(resultFor(body, person.email as string)).toMatchObject({ outcome: 'invited', reason: 'emailed' });
      expect(await membershipOf(ctx, community.id, person.id)).toMatchObject({
        state: 'invited',
        invited_by: leader.id,
        message: 'Come back',
        email_status: 'queued',
      });
      expect(await outboxTo(ctx, person.email as string)).toHaveLength(1);
    },
  );

  it('suppressed address (unsubscribed or bouncing): invited, no email, "email suppressed"', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const person = await buildPerson(ctx);
    const unknown = freshEmail('bouncing');
    for (const [email, reason] of [
      [person.email as string, 'unsubscribed'],
      [unknown, 'bounced'],
    ] as const) {
      await ctx.db
        .insertInto('suppression')
        .values({
          email,
          reason,
          scope: reason === 'bounced' ? 'all' : 'marketing',
          detail: null,
          created_at: ctx.clock.now(),
        })
        .execute();
    }
    const { body } = await invite(app(), cookie, community.id, { personIds: [person.id], emails: unknown });
    for (const email of [person.email as string, unknown]) {
      expect(resultFor(body, email)).toMatchObject({ outcome: 'invited', reason: 'email_suppressed' });
      expect(await outboxTo(ctx, email)).toHaveLength(0);
    }
    expect(await membershipOf(ctx, community.id, person.id)).toMatchObject({
      state: 'invited',
      email_status: 'suppressed',
    });
  });

  it('not an email address: skipped "invalid email", the rest of the batch goes on', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const email = freshEmail();
    const { status, body } = await invite(app(), cookie, community.id, { emails: `not-an-email; ${email}, x@y` });
    expect(status).toBe(200);
    expect(resultFor(body, 'not-an-email')).toMatchObject({
      outcome: 'skipped',
      reason: 'invalid_email',
      message: 'skipped: invalid email: it has no @',
      personId: null,
    });
    expect(resultFor(body, 'x@y')).toMatchObject({ outcome: 'skipped', reason: 'invalid_email' });
    expect(resultFor(body, email)).toMatchObject({ outcome: 'invited' });
  });

  it('unchecked box: every valid recipient invited, no email at all (email_status not_sent)', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const active = await buildPerson(ctx);
    const email = freshEmail();
    const { body } = await invite(app(), cookie, community.id, {
      personIds: [active.id],
      emails: email,
      message: 'kept, not sent',
      sendEmail: false,
    });
    expect(body.results.map((r) => [r.outcome, r.reason])).toEqual([
      ['invited', 'email_not_requested'],
      ['invited', 'email_not_requested'],
    ]);
    expect(body.summary.emailed).toBe(0);
    expect(await membershipOf(ctx, community.id, active.id)).toMatchObject({
      state: 'invited',
      email_status: 'not_sent',
      email_outbox_id: null,
    });
    expect(await outboxTo(ctx, active.email as string)).toHaveLength(0);
    expect(await outboxTo(ctx, email)).toHaveLength(0);
  });

  it('a person picked by ID and also pasted counts once; an unknown ID is skipped', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const person = await buildPerson(ctx);
    const { body } = await invite(app(), cookie, community.id, {
      personIds: [person.id, person.id, 99_999_999],
      emails: `${person.email}, ${(person.email as string).toUpperCase()}`,
    });
    expect(body.results).toHaveLength(2);
    expect(body.results[0]).toMatchObject({ personId: person.id, outcome: 'invited' });
    expect(body.results[1]).toMatchObject({
      personId: 99_999_999,
      email: null,
      outcome: 'skipped',
      reason: 'unknown_person',
    });
    expect(await outboxTo(ctx, person.email as string)).toHaveLength(1);
  });

  describe('the message', () => {
    it('over 2,000 characters is refused with message_too_long; blank is no message', async () => {
      const { ctx } = t();
      const { community, cookie } = await ledCommunity(ctx);
      const person = await buildPerson(ctx);
      const long = await invite(app(), cookie, community.id, { personIds: [person.id], message: 'x'.repeat(2001) });
      expect(long.status).toBe(400);
      expect(long.body.error?.code).toBe('message_too_long');
      expect(await membershipOf(ctx, community.id, person.id)).toBeUndefined();
      await invite(app(), cookie, community.id, { personIds: [person.id], message: '  \n ' });
      expect((await membershipOf(ctx, community.id, person.id))?.message).toBeNull();
    });
  });
});
