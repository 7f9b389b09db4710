import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { AppContext } from '../context.js';
import { addMembership, buildCommunity, buildPerson } from '../testing/factories.js';
import { type SmtpPeer, startSmtpPeer } from '../testing/smtp-peer.js';
import { describeEachDb, testConfig } from '../testing/test-db.js';
import { waitFor } from '../testing/wait-for.js';
import { createRuntime } from '../bootstrap.js';
import { startWorker } from '../jobs/worker.js';
import { claimOutboxBatch, findOutboxRow, type OutgoingEmail } from './outbox.repository.js';
import { queueEmail } from './outbox.service.js';
import { type EmailSenderOptions, senderDeps, sendDueEmails, startEmailSender } from './sender.js';
import { type EmailTemplate, escapeHtml } from './template.js';
import { createSmtpTransport, type MailTransport } from './transport.js';
import { unsubscribeHeaders } from './unsubscribe.js';
import { registries } from '../modules.js';

const mailFrom = 'Convene <no-reply@convene.test>';

const invite: EmailTemplate<{ name: string }> = {
  name: 'test.invite',
  render: (p, config) => ({
    subject: `You are invited, ${p.name}`,
    text: `Hello ${p.name}`,
    html: `<p>Hello ${escapeHtml(p.name)}</p>`,
    headers: unsubscribeHeaders(config, 'unused@example.test'),
  }),
};
const templates = { ...registries.emailTemplates, 'test.invite': invite };
const hooks = registries.deliveryHooks;

let peer: SmtpPeer;
let transport: MailTransport;
beforeAll(async () => {
  peer = await startSmtpPeer();
  // The product's own timeouts: a loaded machine may answer slowly, and that is not a failure.
  transport = createSmtpTransport({ url: peer.url, from: mailFrom, maxConnections: 2 });
});
afterAll(async () => {
  transport.close();
  await peer.close();
});

let seq = 0;
function email(to: string, over: Partial<OutgoingEmail> = {}): OutgoingEmail {
  seq += 1;
  return {
    dedupeKey: `test:${seq}:${Date.now()}`,
    to,
    template: 'test_email',
    payload: { requestedBy: 'Ada <b>' },
    category: 'transactional',
    ...over,
  };
}
async function queue(ctx: AppContext, e: OutgoingEmail): Promise<number> {
  const id = await ctx.db.transaction().execute((trx) => queueEmail(ctx, trx, e));
  if (id === undefined) throw new Error('not queued');
  return id;
}
const send = (ctx: AppContext, options: Partial<EmailSenderOptions> = {}) =>
  sendDueEmails(
    ctx,
    senderDeps(ctx, { transport, templates, hooks, retryBaseMs: 60_000, concurrency: 1, ...options }),
    undefined,
    undefined,
    { base: 1, cap: 1 },
  );

describeEachDb('email sender', (t) => {
  beforeEach(() => peer.reset());

  it('delivers a queued email: one recipient, From = MAIL_FROM, the row’s Message-ID, escaped HTML', async () => {
    const id = await queue(t().ctx, email('ada@example.test'));
    expect(await send(t().ctx)).toBe(1);
    const [m] = await peer.waitFor(1);
    const row = await findOutboxRow(t().ctx.db, id);
    expect(row).toMatchObject({ state: 'sent', attempts: 1, sent_at: t().clock.now(), last_error: null });
    expect(m.envelopeTo).toEqual(['ada@example.test']);
    expect(m.to).toEqual(['ada@example.test']);
    expect(m.from).toBe('no-reply@convene.test');
    expect(m.messageId).toBe(row!.message_id);
    expect(m.subject).toBe('Test email from Convene');
    expect(m.text).toContain('Ada <b>');
    expect(m.html).toContain('Ada &lt;b&gt;');
    expect(await send(t().ctx)).toBe(0);
  });

  it('sends one message per recipient, never several addresses in one message', async () => {
    for (const to of ['a1@example.test', 'a2@example.test', 'a3@example.test']) await queue(t().ctx, email(to));
    await send(t().ctx, { concurrency: 3 });
    const messages = await peer.waitFor(3);
    expect(messages.map((m) => m.envelopeTo.length)).toEqual([1, 1, 1]);
    expect(messages.map((m) => m.to.length)).toEqual([1, 1, 1]);
    expect(messages.flatMap((m) => m.envelopeTo).sort()).toEqual([
      'a1@example.test',
      'a2@example.test',
      'a3@example.test',
    ]);
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(3);
  });

  it('sends nothing when the transaction that queued the email rolls back', async () => {
    await expect(
      t()
        .ctx.db.transaction()
        .execute(async (trx) => {
          await queueEmail(t().ctx, trx, email('rollback@example.test', { dedupeKey: 'rollback-1' }));
          throw new Error('the invite failed');
        }),
    ).rejects.toThrow('the invite failed');
    expect(
      await t().ctx.db.selectFrom('email_outbox').selectAll().where('dedupe_key', '=', 'rollback-1').execute(),
    ).toEqual([]);
    expect(await send(t().ctx)).toBe(0);
    expect(peer.attempts).toEqual([]);
  });

  it('retries a 451 later with backoff and delivers it with the same Message-ID', async () => {
    const id = await queue(t().ctx, email('grey@example.test'));
    peer.failNext(1, 451, { message: 'Greylisted, try again later' });
    await send(t().ctx);
    const after = (await findOutboxRow(t().ctx.db, id))!;
    expect(after).toMatchObject({ state: 'queued', attempts: 1, last_error: expect.stringMatching(/^deferred: 451/) });
    expect(after.next_attempt_at).toBeGreaterThanOrEqual(t().clock.now() + 30_000);
    expect(await send(t().ctx)).toBe(0);
    t().clock.advance(60_000);
    expect(await send(t().ctx)).toBe(1);
    await peer.waitFor(1);
    expect(await findOutboxRow(t().ctx.db, id)).toMatchObject({ state: 'sent', attempts: 2, last_error: null });
    expect(peer.attempts.map((a) => [a.messageId, a.outcome])).toEqual([
      [after.message_id, 'rejected'],
      [after.message_id, 'accepted'],
    ]);
  });

  it('fails a 550 for good and suppresses the address, so later mail to it is not sent', async () => {
    const id = await queue(t().ctx, email('gone@example.test'));
    peer.failNext(1, 550, { message: 'No such user', stage: 'rcpt' });
    await send(t().ctx);
    expect(await findOutboxRow(t().ctx.db, id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      last_error: expect.stringMatching(/^bounced: 550/),
    });
    expect(
      await t()
        .ctx.db.selectFrom('suppression')
        .selectAll()
        .where('email', '=', 'gone@example.test')
        .executeTakeFirst(),
    ).toMatchObject({ reason: 'bounced', scope: 'all' });
    const later = await queue(t().ctx, email('gone@example.test'));
    await send(t().ctx);
    expect(await findOutboxRow(t().ctx.db, later)).toMatchObject({ state: 'failed', last_error: 'suppressed' });
    expect(peer.messages).toEqual([]);
  });

  it('a 5xx to the message data also bounces', async () => {
    const id = await queue(t().ctx, email('rejected@example.test'));
    peer.failNext(1, 554, { message: 'Message refused' });
    await send(t().ctx);
    expect(await findOutboxRow(t().ctx.db, id)).toMatchObject({
      state: 'failed',
      last_error: expect.stringMatching(/^bounced: 554/),
    });
  });

  it('retries after a dropped connection; the untried rest of the batch waits, unspent', async () => {
    const ids = [];
    for (const to of ['d1@example.test', 'd2@example.test', 'd3@example.test'])
      ids.push(await queue(t().ctx, email(to)));
    peer.dropNext(1);
    await send(t().ctx);
    const rows = await Promise.all(ids.map((id) => findOutboxRow(t().ctx.db, id)));
    expect(rows[0]).toMatchObject({
      state: 'queued',
      attempts: 1,
      last_error: expect.stringMatching(/^unreachable: /),
    });
    expect(rows[1]).toMatchObject({ state: 'queued', attempts: 0 });
    expect(rows[2]).toMatchObject({ state: 'queued', attempts: 0 });
    t().clock.advance(60_000);
    await send(t().ctx);
    await peer.waitFor(3);
    expect(peer.messages.map((m) => m.envelopeTo[0]).sort()).toEqual([
      'd1@example.test',
      'd2@example.test',
      'd3@example.test',
    ]);
    expect(peer.attempts.filter((a) => a.messageId === rows[0]!.message_id).map((a) => a.outcome)).toEqual([
      'dropped',
      'accepted',
    ]);
  });

  it('retries after the server hangs (socket timeout)', async () => {
    // The timeout is the subject here, so it is short; the server it meets answers nothing after
    // the message, ever, so however slow the machine, this attempt can only end by timing out.
    const hanging = await startSmtpPeer();
    hanging.hangNext(1_000);
    const impatient = createSmtpTransport({ url: hanging.url, from: mailFrom, socketTimeoutMs: 200 });
    try {
      const id = await queue(t().ctx, email('slow@example.test'));
      await send(t().ctx, { transport: impatient });
      expect(await findOutboxRow(t().ctx.db, id)).toMatchObject({
        state: 'queued',
        attempts: 1,
        last_error: expect.stringMatching(/^unreachable: /),
      });
      t().clock.advance(60_000);
      await send(t().ctx);
      await peer.waitFor(1);
      expect(await findOutboxRow(t().ctx.db, id)).toMatchObject({ state: 'sent', attempts: 2 });
    } finally {
      impatient.close();
      await hanging.close();
    }
  });

  it('while the SMTP server is down everything waits, unspent, and is delivered when it returns', async () => {
    const down = await startSmtpPeer();
    const port = down.port;
    await down.close();
    const downTransport = createSmtpTransport({ url: `smtp://127.0.0.1:${port}`, from: mailFrom });
    try {
      const ids = [];
      for (const to of ['u1@example.test', 'u2@example.test', 'u3@example.test'])
        ids.push(await queue(t().ctx, email(to)));
      await send(t().ctx, { transport: downTransport });
      const rows = await Promise.all(ids.map((id) => findOutboxRow(t().ctx.db, id)));
      expect(rows.map((r) => [r!.state, r!.attempts])).toEqual([
        ['queued', 1],
        ['queued', 0],
        ['queued', 0],
      ]);
      expect(rows[0]!.last_error).toMatch(/^unreachable: /);
      const back = await startSmtpPeer({ port });
      try {
        t().clock.advance(60_000);
        await send(t().ctx, { transport: downTransport });
        await back.waitFor(3);
        expect(back.messages.map((m) => m.envelopeTo[0]).sort()).toEqual([
          'u1@example.test',
          'u2@example.test',
          'u3@example.test',
        ]);
      } finally {
        await back.close();
      }
    } finally {
      downTransport.close();
    }
  });

  it('after a crash repeats only the message in flight, with the same Message-ID', async () => {
    const ids = [];
    for (const to of ['c1@example.test', 'c2@example.test', 'c3@example.test'])
      ids.push(await queue(t().ctx, email(to)));
    // A sender claimed all three, delivered and recorded c1, was sending c2, and died.
    const now = t().clock.now();
    const claimed = await claimOutboxBatch(t().ctx.db, now, now + 60_000, 10);
    expect(claimed.map((r) => r.id)).toEqual(ids);
    await t()
      .ctx.db.updateTable('email_outbox')
      .set({ state: 'sent', sent_at: now })
      .where('id', '=', ids[0])
      .execute();
    expect(await send(t().ctx)).toBe(0);
    t().clock.advance(60_001);
    expect(await send(t().ctx)).toBe(2);
    await peer.waitFor(2);
    expect(peer.messages.map((m) => m.envelopeTo[0])).toEqual(['c2@example.test', 'c3@example.test']);
    expect(peer.messages[0].messageId).toBe(claimed[1].message_id);
    expect(await findOutboxRow(t().ctx.db, ids[1])).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('drops a sign-in code email that expired before it could be sent', async () => {
    const id = await queue(t().ctx, email('late@example.test', { expiresAt: t().clock.now() + 10 * 60_000 }));
    t().clock.advance(10 * 60_000);
    await send(t().ctx);
    expect(await findOutboxRow(t().ctx.db, id)).toMatchObject({
      state: 'failed',
      last_error: 'expired',
      sent_at: null,
    });
    expect(peer.attempts).toEqual([]);
  });

  it('keeps emails without SMTP: readable, never dropped', async () => {
    const id = await queue(t().ctx, email('kept@example.test'));
    await send(t().ctx, { transport: null });
    expect(await findOutboxRow(t().ctx.db, id)).toMatchObject({ state: 'kept', attempts: 1, sent_at: null });
    expect(peer.attempts).toEqual([]);
  });

  it('a template that cannot render fails visibly', async () => {
    const id = await queue(t().ctx, email('x@example.test', { template: 'no_such_template' }));
    await send(t().ctx);
    expect(await findOutboxRow(t().ctx.db, id)).toMatchObject({
      state: 'failed',
      last_error: expect.stringContaining('no email template is registered as "no_such_template"'),
    });
  });

  it('gives up on a deferred email after maxAttempts', async () => {
    const id = await queue(t().ctx, email('never@example.test'));
    peer.failNext(2, 452);
    await send(t().ctx, { maxAttempts: 2 });
    t().clock.advance(60 * 60_000);
    await send(t().ctx, { maxAttempts: 2 });
    expect(await findOutboxRow(t().ctx.db, id)).toMatchObject({
      state: 'failed',
      attempts: 2,
      last_error: expect.stringMatching(/^gave up after 2 attempts: 452/),
    });
  });

  it('updates the invitation email status of the membership that points at the row', async () => {
    const community = await buildCommunity(t().ctx);
    const [first, second] = [await buildPerson(t().ctx), await buildPerson(t().ctx)];
    for (const p of [first, second]) {
      await addMembership(t().ctx, community.id, p.id, 'invited');
      const outboxId = await queue(
        t().ctx,
        email(p.email!, { template: 'test.invite', payload: { name: p.first_name }, category: 'marketing' }),
      );
      await t()
        .ctx.db.updateTable('membership')
        .set({ email_status: 'queued', email_outbox_id: outboxId })
        .where('community_id', '=', community.id)
        .where('person_id', '=', p.id)
        .execute();
    }
    // the first invitation bounces, the second is delivered
    peer.failNext(1, 550, { stage: 'rcpt' });
    await send(t().ctx);
    const statuses = await t()
      .ctx.db.selectFrom('membership')
      .select(['person_id', 'email_status'])
      .where('community_id', '=', community.id)
      .execute();
    expect(Object.fromEntries(statuses.map((s) => [s.person_id, s.email_status]))).toEqual({
      [first.id]: 'failed',
      [second.id]: 'sent',
    });
  });

  it('two senders with their own database handles deliver each of 200 emails exactly once', async () => {
    const other = await createRuntime(testConfig(t().databaseUrl), { clock: t().clock, migrate: false });
    try {
      const keys: number[] = [];
      for (let i = 0; i < 200; i++) keys.push(await queue(t().ctx, email(`two${i}@example.test`)));
      const a = startEmailSender(t().ctx, { transport, templates, hooks, pollMs: 10, batchSize: 10, concurrency: 4 });
      const b = startEmailSender(other.ctx, { transport, templates, hooks, pollMs: 10, batchSize: 10, concurrency: 4 });
      try {
        await peer.waitFor(200);
        await waitFor(
          async () =>
            (
              await t()
                .ctx.db.selectFrom('email_outbox')
                .select('id')
                .where('id', 'in', keys)
                .where('state', '=', 'sent')
                .execute()
            ).length === 200,
          { what: 'all 200 outbox rows to be sent' },
        );
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
      expect(peer.attempts.length).toBe(200);
      expect(new Set(peer.messages.map((m) => m.messageId)).size).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('stop() finishes the messages in flight and hands back the untried rest of the batch', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(await queue(t().ctx, email(`stop${i}@example.test`)));
    const sender = startEmailSender(t().ctx, {
      transport,
      templates,
      hooks,
      pollMs: 10,
      ratePerSecond: 20,
      concurrency: 2,
    });
    await peer.waitFor(2);
    await sender.stop();
    const rows = await t()
      .ctx.db.selectFrom('email_outbox')
      .select(['state', 'attempts'])
      .where('id', 'in', ids)
      .execute();
    const sent = rows.filter((r) => r.state === 'sent').length;
    expect(sent).toBe(peer.messages.length);
    expect(rows.filter((r) => r.state !== 'sent')).toEqual(
      Array.from({ length: 20 - sent }, () => ({ state: 'queued', attempts: 0 })),
    );
  });

  it('the worker sends queued email on its own, throttled when asked', async () => {
    for (let i = 0; i < 5; i++) await queue(t().ctx, email(`w${i}@example.test`));
    const started = Date.now();
    const stop = await startWorker(t().ctx, registries, {
      jobs: { handlers: {}, pollMs: 20 },
      email: { transport, templates, pollMs: 20, ratePerSecond: 50 },
    });
    try {
      await peer.waitFor(5);
      // 50 per second: the fifth message cannot start before 4 × 20 ms
      expect(Date.now() - started).toBeGreaterThanOrEqual(80);
    } finally {
      await stop();
    }
  });
});
