/**
 * The invitation email as it arrives at a real SMTP peer: hostile messages and names stay plain
 * text, one recipient, no extra headers; one-click unsubscribe; the Join link. Both databases.
 */
import { beforeEach, expect, it } from 'vitest';
import { sendDueEmails, senderDeps } from '../email/sender.js';
import { unsubscribeUrl } from '../email/unsubscribe.js';
import { buildPerson } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { invitationLinkToken } from './invitation-link.js';
import { freshEmail, invite, ledCommunity, membershipOf } from './invitation-test-helpers.js';
import { registries } from '../modules.js';
import { useSmtpPeer } from '../testing/use-smtp-peer.js';

const smtp = useSmtpPeer({ from: 'Convene <no-reply@localhost>', maxConnections: 1 });

const hostile = [
  'Hello <a href="https://evil.example/phish">click me</a>',
  '</div><img src=x onerror=alert(1)>',
  'line one\r\nBcc: victim@evil.example\r\nX-Injected: yes',
  '{{7*7}} ${7*7} <%= 7*7 %>',
].join('\n');

describeEachDb('the invitation email at a real SMTP peer', (t) => {
  const app = useTestApp(t);
  beforeEach(() => smtp.peer.reset());
  const send = () =>
    sendDueEmails(
      t().ctx,
      senderDeps(t().ctx, {
        transport: smtp.transport,
        templates: registries.emailTemplates,
        hooks: registries.deliveryHooks,
        concurrency: 1,
      }),
    );

  it('carries hostile messages and names as plain text, to one recipient, with no extra headers', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx, {
      name: 'Chess <b>Club</b>',
      headline: 'Openings & "endgames"',
    });
    const person = await buildPerson(ctx, { firstName: 'Eve', lastName: '<script>x</script>' });
    const { body } = await invite(app(), cookie, community.id, { personIds: [person.id], message: hostile });
    expect(body.results[0].reason).toBe('emailed');
    expect(await send()).toBe(1);
    const [mail] = await smtp.peer.waitFor(1);

    expect(mail.envelopeTo).toEqual([person.email]);
    expect(mail.to).toEqual([person.email]);
    expect(Object.keys(mail.headers)).not.toContain('bcc');
    expect(Object.keys(mail.headers)).not.toContain('x-injected');
    expect(mail.subject).toBe('Lena Leader invited you to join Chess <b>Club</b> on Convene');

    // Text: the message verbatim (line breaks kept, CRLF as LF), templates not evaluated.
    expect(mail.text).toContain(
      'Hello <a href="https://evil.example/phish">click me</a>\n</div><img src=x onerror=alert(1)>\nline one\nBcc: victim@evil.example\nX-Injected: yes\n{{7*7}} ${7*7} <%= 7*7 %>',
    );
    expect(mail.text).not.toMatch(/\b49\b/);
    expect(mail.text).toContain('Openings & "endgames"');

    // HTML: everything escaped, line breaks as <br>; the only link targets are ours.
    expect(mail.html).toContain('Hello &lt;a href=&quot;https://evil.example/phish&quot;&gt;click me&lt;/a&gt;<br>');
    expect(mail.html).toContain('&lt;/div&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html).toContain('Chess &lt;b&gt;Club&lt;/b&gt;');
    expect(mail.html).not.toMatch(/<img|<script|<b>/i);
    const hrefs = [...mail.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(hrefs).toEqual([
      // the join link names the invitation (its opening is the funnel's "opened")
      `http://localhost:3000/communities/${community.id}?inv=${invitationLinkToken(ctx.config.secret, community.id, person.id)}`,
      unsubscribeUrl(ctx.config, person.email as string),
    ]);

    expect(mail.headers['list-unsubscribe']).toBe(`<${unsubscribeUrl(ctx.config, person.email as string)}>`);
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(await membershipOf(ctx, community.id, person.id)).toMatchObject({ email_status: 'sent' });
  });

  it('invites an address without an account to the site and the community, with the landing page link', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx, {
      name: 'Alumni Choir',
      headline: 'We sing',
      landingEnabled: true,
    });
    const email = freshEmail('smtp');
    await invite(app(), cookie, community.id, { emails: email, message: 'Join us\non Thursdays' });
    await send();
    const [mail] = await smtp.peer.waitFor(1);
    expect(mail.envelopeTo).toEqual([email]);
    expect(mail.text).toContain('Lena Leader invited you to join Alumni Choir on Convene.');
    expect(mail.text).toContain('Join us\non Thursdays');
    const invitee = await ctx.db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const inv = invitationLinkToken(ctx.config.secret, community.id, invitee.id);
    expect(mail.text).toContain(
      `http://localhost:3000/join/${community.slug}?inv=${inv}#email=${encodeURIComponent(email)}`,
    );
    expect(mail.html).toContain('Join us<br>\non Thursdays');
  });
});
