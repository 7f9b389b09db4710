import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import type { AppContext } from '../context.js';
import { describeEachDb } from '../testing/test-db.js';
import { findOutboxRow } from './outbox.repository.js';
import { queueEmail } from './outbox.service.js';
import { senderDeps, sendDueEmails } from './sender.js';
import type { MailTransport } from './transport.js';
import { registries } from '../modules.js';

/** An SMTP reply as a real server words it: the recipient's full address in the text. */
function refusing(code: number, to: string): MailTransport {
  return {
    send: async () => {
      throw Object.assign(
        new Error(`Can't send mail - all recipients were rejected: ${code} 5.1.1 <${to}>: Recipient address rejected`),
        {
          code: 'EENVELOPE',
          command: 'RCPT TO',
          responseCode: code,
          response: `${code} 5.1.1 <${to}>: Recipient address rejected: User unknown`,
        },
      );
    },
    probe: async () => {},
    close: () => {},
  };
}

describeEachDb('email delivery logs', (t) => {
  it('never carry the full address from an SMTP reply (bounced or deferred)', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const ctx: AppContext = { ...t().ctx, log: pino({ level: 'info', timestamp: false, base: undefined }, sink) };
    for (const [code, to] of [
      [550, 'gone.person@example.test'],
      [450, 'busy.person@example.test'],
    ] as const) {
      const id = await ctx.db.transaction().execute((trx) =>
        queueEmail(ctx, trx, {
          dedupeKey: `log-test:${code}`,
          to,
          template: 'test_email',
          payload: { requestedBy: 'Ada' },
          category: 'transactional',
        }),
      );
      await sendDueEmails(
        ctx,
        senderDeps(ctx, {
          transport: refusing(code, to),
          templates: registries.emailTemplates,
          hooks: registries.deliveryHooks,
          retryBaseMs: 60_000,
          concurrency: 1,
        }),
        undefined,
        undefined,
        { base: 1, cap: 1 },
      );
      // the Email log (admins only) keeps the server's words; the process log does not
      expect((await findOutboxRow(ctx.db, id!))?.last_error).toContain(to);
      const log = lines.join('');
      expect(log).toContain(code === 550 ? 'email bounced' : 'will retry');
      expect(log).not.toContain(to);
      expect(log).toContain(`go***@example.test`.replace('go', to.slice(0, 2)));
    }
  });
});
