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
});
