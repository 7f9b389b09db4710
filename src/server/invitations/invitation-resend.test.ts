/** Resend and the email's state when the site has no SMTP server (kept emails). Both databases. */
import { expect, it } from 'vitest';
import type { InvitedMembersPage } from '../../shared/invitations.js';
import { sendDueEmails, senderDeps } from '../email/sender.js';
import { registries } from '../modules.js';
import { buildPerson } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { invite, ledCommunity, membershipOf, outboxTo } from './invitation-test-helpers.js';

describeEachDb('invitation email without SMTP, and resend', (t) => {
  const app = useTestApp(t);
  const post = (url: string, cookie: string) => app().inject({ method: 'POST', url, headers: { cookie } });
  const invited = async (communityId: number, cookie: string) =>
    (
      await app().inject({ method: 'GET', url: `/api/communities/${communityId}/invitations`, headers: { cookie } })
    ).json<InvitedMembersPage>().items;
  /** the sender of a site without SMTP_URL: every email is kept */
  const keepDueEmails = () =>
    sendDueEmails(
      t().ctx,
      senderDeps(t().ctx, {
        transport: null,
        templates: registries.emailTemplates,
        hooks: registries.deliveryHooks,
        concurrency: 1,
      }),
    );

  it('a kept invitation email shows as kept, not queued, and may be resent at once', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const person = await buildPerson(ctx);
    await invite(app(), cookie, community.id, { personIds: [person.id], message: 'See you Monday' });
    expect((await invited(community.id, cookie))[0]).toMatchObject({ emailStatus: 'queued' });
    expect(await keepDueEmails()).toBe(1);

    const [row] = await invited(community.id, cookie);
    expect(row).toMatchObject({ personId: person.id, emailStatus: 'kept', resendAllowedAt: 0 });
    const resent = await post(`/api/communities/${community.id}/invitations/${person.id}/resend`, cookie);
    expect(resent.statusCode).toBe(200);
    expect(resent.json()).toMatchObject({ emailStatus: 'queued' });
    expect(await outboxTo(ctx, person.email as string)).toHaveLength(2);
    expect(await membershipOf(ctx, community.id, person.id)).toMatchObject({ email_status: 'queued' });
  });

  it('a message typed with sending off is not kept: a later Resend emails the invitation without it', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const person = await buildPerson(ctx);
    const { body } = await invite(app(), cookie, community.id, {
      personIds: [person.id],
      message: 'Private note for the leaders',
      sendEmail: false,
    });
    expect(body.results[0]).toMatchObject({ outcome: 'invited', reason: 'email_not_requested' });
    expect(await membershipOf(ctx, community.id, person.id)).toMatchObject({ message: null, email_status: 'not_sent' });
    const resent = await post(`/api/communities/${community.id}/invitations/${person.id}/resend`, cookie);
    expect(resent.statusCode).toBe(200);
    const [mail] = await outboxTo(ctx, person.email as string);
    expect(mail.payload).not.toContain('Private note');
    expect(JSON.parse(mail.payload)).toMatchObject({ message: null });
  });

  it('counts merged duplicates in the answer and says why each invalid address is invalid', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const picked = await buildPerson(ctx);
    const { body } = await invite(app(), cookie, community.id, {
      personIds: [picked.id, picked.id],
      emails: [
        'a@example.org, A@Example.org',
        picked.email as string,
        'x@ex ample.org',
        'trailing@example.org.',
        'jörg@example.de',
      ].join('\n'),
      sendEmail: false,
    });
    expect(body.summary).toMatchObject({ recipients: 5, invited: 2, skipped: 3, duplicatesMerged: 3 });
    const reasons = Object.fromEntries(
      body.results.filter((r) => r.reason === 'invalid_email').map((r) => [r.email, r.message]),
    );
    expect(reasons).toEqual({
      'x@ex ample.org': 'skipped: invalid email: it has a space in it',
      'trailing@example.org.': 'skipped: invalid email: it ends with a dot',
      'jörg@example.de':
        'skipped: invalid email: it has letters outside plain ASCII (addresses with accents or other scripts are not supported)',
    });
  });
});
