import { expect, it } from 'vitest';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb, testConfig } from '../testing/test-db.js';
import { findOutboxRow } from './outbox.repository.js';
import { queueEmail } from './outbox.service.js';
import { senderDeps, sendDueEmails } from './sender.js';
import type { EmailTemplate } from './template.js';
import { emailOfUnsubscribeToken, unsubscribeHeaders, unsubscribeToken, unsubscribeUrl } from './unsubscribe.js';
import { registries } from '../modules.js';
import { useSmtpPeer } from '../testing/use-smtp-peer.js';

const news: EmailTemplate<{ to: string }> = {
  name: 'test.news',
  render: (p, config) => ({
    subject: 'Join us',
    text: 'An invitation',
    html: '<p>An invitation</p>',
    headers: unsubscribeHeaders(config, p.to),
  }),
};
const templates = { ...registries.emailTemplates, 'test.news': news };

const smtp = useSmtpPeer({ from: 'Convene <no-reply@convene.test>' });

it('tokens are bound to the address and the site secret', () => {
  const config = testConfig('sqlite::memory:');
  const token = unsubscribeToken(config, 'Ada@Example.test');
  expect(emailOfUnsubscribeToken(config, token)).toBe('ada@example.test');
  expect(unsubscribeUrl(config, 'ada@example.test')).toBe(`http://localhost:3000/unsubscribe/${token}`);
  const [addr, sig] = token.split('.');
  const forged = `${Buffer.from('eve@example.test').toString('base64url')}.${sig}`;
  expect(emailOfUnsubscribeToken(config, forged)).toBeUndefined();
  expect(emailOfUnsubscribeToken(config, `${addr}.${'0'.repeat(32)}`)).toBeUndefined();
  expect(
    emailOfUnsubscribeToken(
      testConfig('sqlite::memory:', { secret: 'another-secret-0123456789abcdef0123456789' }),
      token,
    ),
  ).toBeUndefined();
  expect(emailOfUnsubscribeToken(config, 'garbage')).toBeUndefined();
});

describeEachDb('unsubscribe', (t) => {
  const app = useTestApp(t);
  const queue = (to: string, template: string, category: 'marketing' | 'transactional', key: string) =>
    queueEmail(t().ctx, t().ctx.db, { dedupeKey: key, to, template, payload: { to }, category }) as Promise<number>;
  const send = () =>
    sendDueEmails(
      t().ctx,
      senderDeps(t().ctx, { transport: smtp.transport, templates, hooks: registries.deliveryHooks }),
    );

  it('one-click POST from the List-Unsubscribe header suppresses marketing mail but not transactional mail', async () => {
    smtp.peer.reset();
    const to = `reader-${t().dialect}@example.test`;
    await queue(to, 'test.news', 'marketing', `news-1-${t().dialect}`);
    await send();
    const [m] = await smtp.peer.waitFor(1);
    expect(m.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const link = /^<(.+)>$/.exec(m.headers['list-unsubscribe'])![1];
    expect(link.startsWith('http://localhost:3000/unsubscribe/')).toBe(true);

    // what a mail provider sends: a cross-site form POST to the link, no cookies
    const res = await app().inject({
      method: 'POST',
      url: new URL(link).pathname,
      payload: 'List-Unsubscribe=One-Click',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
        origin: 'https://mail.example.com',
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ email: 're***@example.test', unsubscribed: true });
    expect(
      await t().ctx.db.selectFrom('suppression').selectAll().where('email', '=', to).executeTakeFirst(),
    ).toMatchObject({ reason: 'unsubscribed', scope: 'marketing' });

    const marketing = await queue(to, 'test.news', 'marketing', `news-2-${t().dialect}`);
    const transactional = await queue(to, 'test_email', 'transactional', `code-1-${t().dialect}`);
    await send();
    await smtp.peer.waitFor(2);
    expect(await findOutboxRow(t().ctx.db, marketing)).toMatchObject({ state: 'failed', last_error: 'suppressed' });
    expect(await findOutboxRow(t().ctx.db, transactional)).toMatchObject({ state: 'sent' });
    expect(smtp.peer.messages.map((x) => x.subject)).toEqual(['Join us', 'Test email from Convene']);
  });

  it('the page reads the status and unsubscribes by the API; a bad token is refused', async () => {
    const to = `page-${t().dialect}@example.test`;
    const token = unsubscribeToken(t().ctx.config, to);
    expect((await app().inject({ method: 'GET', url: `/api/unsubscribe/${token}` })).json()).toEqual({
      email: 'pa***@example.test',
      unsubscribed: false,
    });
    const res = await app().inject({ method: 'POST', url: `/api/unsubscribe/${token}`, payload: {} });
    expect(res.statusCode).toBe(200);
    expect((await app().inject({ method: 'GET', url: `/api/unsubscribe/${token}` })).json().unsubscribed).toBe(true);
    const bad = await app().inject({ method: 'POST', url: `/api/unsubscribe/${token.slice(0, -2)}xx`, payload: {} });
    expect(bad.statusCode).toBe(404);
    expect(bad.json().error.code).toBe('unsubscribe_link_invalid');
  });

  it('accepts the one-click POST as multipart/form-data too (RFC 8058)', async () => {
    const to = `multi-${t().dialect}@example.test`;
    const body = '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n';
    const res = await app().inject({
      method: 'POST',
      url: `/unsubscribe/${unsubscribeToken(t().ctx.config, to)}`,
      payload: body,
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    expect(res.statusCode).toBe(200);
    expect(
      await t().ctx.db.selectFrom('suppression').select('scope').where('email', '=', to).executeTakeFirst(),
    ).toEqual({ scope: 'marketing' });
  });

  it('an unsubscribe does not weaken a bounce', async () => {
    const to = `bounced-${t().dialect}@example.test`;
    await t()
      .ctx.db.insertInto('suppression')
      .values({ email: to, reason: 'bounced', scope: 'all', detail: '550', created_at: 1 })
      .execute();
    await app().inject({
      method: 'POST',
      url: `/api/unsubscribe/${unsubscribeToken(t().ctx.config, to)}`,
      payload: {},
    });
    expect(
      await t().ctx.db.selectFrom('suppression').selectAll().where('email', '=', to).executeTakeFirst(),
    ).toMatchObject({ reason: 'bounced', scope: 'all' });
  });

  it('form bodies are accepted only on the unsubscribe routes', async () => {
    const res = await app().inject({
      method: 'POST',
      url: '/api/admin/emails/test',
      payload: 'to=x@example.test',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(415);
  });
});
