/**
 * Codes and links do not outlive their delivery in the outbox, and the outbox and the audit log
 * are purged after the site's retention period.
 */
import { expect, it } from 'vitest';
import { latestSignInEmail, nextEmail } from '../auth/testing.js';
import { runCleanup } from '../jobs/maintenance.js';
import { buildAdmin, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { registries } from '../modules.js';
import { describeEachDb } from '../testing/test-db.js';
import { queueEmail } from './outbox.service.js';
import { senderDeps, sendDueEmails } from './sender.js';

const DAY = 24 * 60 * 60 * 1000;

describeEachDb('outbox secrets and retention', (t) => {
  const app = useTestApp(t);

  it('a sign-in email’s code and link leave the outbox row once it is delivered', async () => {
    const email = nextEmail('scrub');
    await app().inject({ method: 'POST', url: '/api/auth/code', payload: { email } });
    const { code, link } = (await latestSignInEmail(t().ctx, email))!;
    await sendDueEmails(
      t().ctx,
      senderDeps(t().ctx, { transport: null, templates: registries.emailTemplates, hooks: registries.deliveryHooks }),
    );
    const row = await t()
      .ctx.db.selectFrom('email_outbox')
      .select(['payload', 'state'])
      .where('to_address', '=', email)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('kept');
    expect(row.payload).not.toContain(code);
    expect(row.payload).not.toContain(link.slice(link.lastIndexOf('/') + 1));
    expect(JSON.parse(row.payload)).toMatchObject({ code: null, link: null });
  });

  it('purges delivered emails and audit events older than the retention setting, keeping queued mail', async () => {
    const { ctx, clock } = t();
    const admin = await buildAdmin(ctx);
    const cookie = await sessionCookie(ctx, admin.id);
    const settings = await app().inject({ url: '/api/admin/settings', headers: { cookie } });
    expect(settings.json().logRetentionDays).toBe(90);
    const patched = await app().inject({
      method: 'PATCH',
      url: '/api/admin/settings',
      headers: { cookie },
      payload: { logRetentionDays: 30 },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().logRetentionDays).toBe(30);
    const queue = (key: string) =>
      queueEmail(ctx, ctx.db, {
        dedupeKey: key,
        to: `${key}@example.test`,
        template: 'test_email',
        payload: { requestedBy: 'x' },
        category: 'transactional',
      });
    await queue('old-sent');
    await sendDueEmails(
      ctx,
      senderDeps(ctx, { transport: null, templates: registries.emailTemplates, hooks: registries.deliveryHooks }),
    );
    const stillQueued = await queue('old-queued');
    await ctx.db
      .updateTable('email_outbox')
      .set({ next_attempt_at: clock.now() + 365 * DAY })
      .where('id', '=', stillQueued!)
      .execute();
    clock.advance(31 * DAY);
    await queue('recent');
    await sendDueEmails(
      ctx,
      senderDeps(ctx, { transport: null, templates: registries.emailTemplates, hooks: registries.deliveryHooks }),
    );
    const report = await runCleanup(ctx, registries.cleanupTasks);
    expect(report.emails).toBeGreaterThanOrEqual(1);
    expect(report.auditEvents).toBeGreaterThanOrEqual(1); // the settings change above
    const left = await ctx.db.selectFrom('email_outbox').select('to_address').execute();
    const addresses = left.map((r) => r.to_address);
    expect(addresses).toContain('recent@example.test');
    expect(addresses).toContain('old-queued@example.test');
    expect(addresses).not.toContain('old-sent@example.test');
    const audit = await ctx.db.selectFrom('audit_event').select('action').execute();
    expect(audit.map((a) => a.action)).not.toContain('site.settings_update');
  });
});
