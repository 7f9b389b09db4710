import { expect, it } from 'vitest';
import type { EmailTemplate } from './template.js';
import { buildAdmin, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { queueEmail } from './outbox.service.js';
import { senderDeps, sendDueEmails } from './sender.js';
import { registries } from '../modules.js';

const secret: EmailTemplate<{ code: string }> = {
  name: 'test.secret',
  sensitive: true,
  render: (p) => ({ subject: `${p.code} is your code`, text: `Code ${p.code}`, html: `<p>${p.code}</p>` }),
};
const templates = { ...registries.emailTemplates, 'test.secret': secret };
const hooks = registries.deliveryHooks;

describeEachDb('admin email log API', (t) => {
  const app = useTestApp(t, { registries: { ...registries, emailTemplates: templates } });

  async function queueTest(to: string, n: number): Promise<number> {
    const id = await queueEmail(t().ctx, t().ctx.db, {
      dedupeKey: `log:${to}:${n}`,
      to,
      template: 'test_email',
      payload: { requestedBy: `admin ${n}` },
      category: 'transactional',
    });
    return id!;
  }

  it('lists emails newest first in keyset pages, filtered by state, with the subject rendered', async () => {
    const admin = await buildAdmin(t().ctx);
    const cookie = await sessionCookie(t().ctx, admin.id);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await queueTest(`log${i}@example.test`, i));
    // no SMTP in tests: the sender keeps them
    await sendDueEmails(t().ctx, senderDeps(t().ctx, { transport: null, templates, hooks, batchSize: 2 }));
    const first = await app().inject({ method: 'GET', url: '/api/admin/emails?limit=3', headers: { cookie } });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items.map((e: { id: number }) => e.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect(page1.items[0]).toMatchObject({
      to: 'log4@example.test',
      template: 'test_email',
      subject: 'Test email from Convene',
      state: 'queued',
      attempts: 0,
      lastError: null,
      sentAt: null,
    });
    const page2 = (
      await app().inject({
        method: 'GET',
        url: `/api/admin/emails?limit=3&cursor=${page1.nextCursor}`,
        headers: { cookie },
      })
    ).json();
    expect(page2.items.map((e: { id: number }) => e.id)).toEqual([ids[1], ids[0]]);
    expect(page2.nextCursor).toBeNull();
    const kept = (
      await app().inject({ method: 'GET', url: '/api/admin/emails?state=kept', headers: { cookie } })
    ).json();
    expect(kept.items.map((e: { id: number }) => e.id)).toEqual([ids[1], ids[0]]);
    expect(kept.items[0]).toMatchObject({ state: 'kept', attempts: 1 });
  });

  it('shows one email with its rendered text and HTML', async () => {
    const admin = await buildAdmin(t().ctx);
    const cookie = await sessionCookie(t().ctx, admin.id);
    const id = await queueTest('read-me@example.test', 99);
    const res = await app().inject({ method: 'GET', url: `/api/admin/emails/${id}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id,
      to: 'read-me@example.test',
      contentHidden: false,
      text: expect.stringContaining('admin 99'),
      html: expect.stringContaining('<p>'),
      messageId: expect.stringMatching(/^<.+@localhost>$/),
    });
    expect(
      (await app().inject({ method: 'GET', url: '/api/admin/emails/999999', headers: { cookie } })).json().error.code,
    ).toBe('not_found');
  });

  it('never shows a sensitive email’s content, kept or sent', async () => {
    const admin = await buildAdmin(t().ctx);
    const cookie = await sessionCookie(t().ctx, admin.id);
    const id = (await queueEmail(t().ctx, t().ctx.db, {
      dedupeKey: 'secret-1',
      to: 's@example.test',
      template: 'test.secret',
      payload: { code: '123456' },
      category: 'transactional',
    }))!;
    await sendDueEmails(t().ctx, senderDeps(t().ctx, { transport: null, templates, hooks }));
    expect(
      (await app().inject({ method: 'GET', url: `/api/admin/emails/${id}`, headers: { cookie } })).json(),
    ).toMatchObject({ state: 'kept', subject: '•••••• is your code', contentHidden: true, text: null, html: null });
    await t().ctx.db.updateTable('email_outbox').set({ state: 'sent' }).where('id', '=', id).execute();
    expect(
      (await app().inject({ method: 'GET', url: `/api/admin/emails/${id}`, headers: { cookie } })).json(),
    ).toMatchObject({ subject: '•••••• is your code', contentHidden: true, text: null, html: null });
    const list = (await app().inject({ method: 'GET', url: '/api/admin/emails', headers: { cookie } })).json();
    expect(JSON.stringify(list)).not.toContain('123456');
  });

  it('is for admins only', async () => {
    const member = await buildPerson(t().ctx);
    const cookie = await sessionCookie(t().ctx, member.id);
    expect((await app().inject({ method: 'GET', url: '/api/admin/emails' })).statusCode).toBe(401);
    expect((await app().inject({ method: 'GET', url: '/api/admin/emails', headers: { cookie } })).statusCode).toBe(403);
    expect((await app().inject({ method: 'GET', url: '/api/admin/emails/1', headers: { cookie } })).statusCode).toBe(
      403,
    );
    expect(
      (
        await app().inject({
          method: 'POST',
          url: '/api/admin/emails/test',
          headers: { cookie },
          payload: { to: 'x@example.test' },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('queues a test email for an admin', async () => {
    const admin = await buildAdmin(t().ctx);
    const cookie = await sessionCookie(t().ctx, admin.id);
    const res = await app().inject({
      method: 'POST',
      url: '/api/admin/emails/test',
      headers: { cookie },
      payload: { to: 'Check@Example.test' },
    });
    expect(res.statusCode).toBe(202);
    const row = await t()
      .ctx.db.selectFrom('email_outbox')
      .selectAll()
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ to_address: 'check@example.test', template: 'test_email', state: 'queued' });
  });
});
