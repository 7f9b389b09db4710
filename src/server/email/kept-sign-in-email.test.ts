/**
 * Without SMTP_URL, emails are kept for reading in the Email log. A sign-in email must not be
 * readable there: an admin could ask for another admin's code and sign in as them.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { latestSignInEmail, linkToken, nextEmail } from '../auth/testing.js';
import { buildAdmin, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { registries } from '../modules.js';
import { describeEachDb } from '../testing/test-db.js';
import { senderDeps, sendDueEmails } from './sender.js';

describeEachDb('kept sign-in emails', (t) => {
  const app = useTestApp(t);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('never show their code or link in the Email log, and are not printed unless a developer asks', async () => {
    const reader = await buildAdmin(t().ctx);
    const cookie = await sessionCookie(t().ctx, reader.id);
    const victim = await buildAdmin(t().ctx, { email: nextEmail('victim') });
    const asked = await app().inject({ method: 'POST', url: '/api/auth/code', payload: { email: victim.email } });
    expect(asked.statusCode).toBe(200);
    const { code, link } = (await latestSignInEmail(t().ctx, victim.email!))!;
    const printed = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await sendDueEmails(
      t().ctx,
      senderDeps(t().ctx, { transport: null, templates: registries.emailTemplates, hooks: registries.deliveryHooks }),
    );
    expect(printed).not.toHaveBeenCalled();

    const list = await app().inject({ url: '/api/admin/emails?state=kept', headers: { cookie } });
    const item = (list.json() as { items: { id: number; to: string }[] }).items.find((e) => e.to === victim.email);
    expect(item).toBeDefined();
    const detail = await app().inject({ url: `/api/admin/emails/${item!.id}`, headers: { cookie } });
    expect(detail.statusCode).toBe(200);
    for (const body of [list.body, detail.body]) {
      expect(body).not.toContain(code);
      expect(body).not.toContain(linkToken(link));
    }
    expect(detail.json()).toMatchObject({ state: 'kept', contentHidden: true, text: null, html: null });
  });

  it('are printed to the terminal when a developer turns PRINT_EMAILS on', async () => {
    const ctx = { ...t().ctx, config: { ...t().ctx.config, printEmails: true } };
    const email = nextEmail('dev');
    await app().inject({ method: 'POST', url: '/api/auth/code', payload: { email } });
    const { code } = (await latestSignInEmail(ctx, email))!;
    const printed = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await sendDueEmails(
      ctx,
      senderDeps(ctx, { transport: null, templates: registries.emailTemplates, hooks: registries.deliveryHooks }),
    );
    expect(printed.mock.calls.flat().join('\n')).toContain(code);
  });
});
