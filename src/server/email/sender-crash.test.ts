/**
 * Fault test: a `convene worker` process is killed with SIGKILL while it delivers; a new sender
 * takes over once the lease expires. Every email arrives, and only the ones in flight at the
 * kill arrive twice — with the same Message-ID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRuntime } from '../bootstrap.js';
import { manualClock } from '../clock.js';
import { type SmtpPeer, startSmtpPeer } from '../testing/smtp-peer.js';
import { describeEachDb, testConfig } from '../testing/test-db.js';
import { waitFor } from '../testing/wait-for.js';
import { enqueueEmail } from './outbox.repository.js';
import { startEmailSender } from './sender.js';
import { createSmtpTransport } from './transport.js';
import { registries } from '../modules.js';

let peer: SmtpPeer;
beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterAll(async () => {
  await peer.close();
});

describeEachDb('email sender killed mid-delivery', (t) => {
  it('resends only the messages in flight, with their Message-IDs, after the lease expires', async () => {
    peer.reset();
    const total = 200;
    const now = Date.now();
    await t()
      .ctx.db.transaction()
      .execute(async (trx) => {
        for (let i = 0; i < total; i++) {
          await enqueueEmail(
            trx,
            {
              dedupeKey: `crash:${i}`,
              to: `crash${i}@example.test`,
              template: 'test_email',
              payload: {},
              category: 'transactional',
            },
            now,
            'localhost',
          );
        }
      });
    peer.setReplyDelay(40);
    const child: ChildProcess = spawn(process.execPath, ['bin/convene.js', 'worker'], {
      cwd: process.cwd(),
      stdio: 'ignore',
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: t().databaseUrl,
        SMTP_URL: peer.url,
        SECRET: 'crash-test-secret-0123456789abcdef0123456789',
        DATA_DIR: os.tmpdir(),
        EMAIL_RATE_PER_SECOND: '0',
      },
    });
    try {
      await waitFor(() => peer.messages.length >= 40, {
        what: () => `40 messages from the worker (${peer.messages.length} arrived)`,
      });
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    const inFlight = await t()
      .ctx.db.selectFrom('email_outbox')
      .select(['id', 'message_id'])
      .where('state', '=', 'sending')
      .execute();
    const sentBefore = peer.messages.length;
    expect(sentBefore).toBeLessThan(total);

    // A new sender, an hour later by its clock: the dead sender's leases have expired.
    peer.setReplyDelay(0);
    const clock = manualClock(Date.now() + 60 * 60_000);
    const second = await createRuntime(testConfig(t().databaseUrl), { clock, migrate: false });
    const transport = createSmtpTransport({ url: peer.url, from: 'Convene <no-reply@localhost>' });
    const sender = startEmailSender(second.ctx, {
      transport,
      templates: registries.emailTemplates,
      hooks: registries.deliveryHooks,
      pollMs: 20,
    });
    try {
      await waitFor(
        async () => {
          const r = await t()
            .ctx.db.selectFrom('email_outbox')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('state', '=', 'sent')
            .executeTakeFirstOrThrow();
          return Number(r.n) === total;
        },
        { what: `all ${total} emails to be sent by the second sender` },
      );
    } finally {
      await sender.stop();
      transport.close();
      await second.close();
    }
    const rows = await t()
      .ctx.db.selectFrom('email_outbox')
      .select(['to_address', 'message_id'])
      .where('dedupe_key', 'like', 'crash:%')
      .execute();
    const byId = new Map<string, number>();
    for (const m of peer.messages) byId.set(m.messageId, (byId.get(m.messageId) ?? 0) + 1);
    // every email arrived, with its row's Message-ID
    expect(rows.every((r) => (byId.get(r.message_id) ?? 0) >= 1)).toBe(true);
    // repeats: only rows that were being sent at the kill, each at most twice
    const repeated = [...byId].filter(([, n]) => n > 1);
    const inFlightIds = new Set(inFlight.map((r) => r.message_id));
    expect(repeated.every(([id, n]) => n === 2 && inFlightIds.has(id))).toBe(true);
    expect(repeated.length).toBeLessThanOrEqual(16);
    expect(peer.messages.length).toBe(total + repeated.length);
  });
});
