/**
 * Fault test: a `convene worker` process is killed with SIGKILL while it delivers 300 emails, and
 * a new worker process starts at once, with the product's defaults. Every email arrives; only the
 * ones in flight at the kill (their data reached the SMTP server, their outcome was not yet
 * committed) arrive twice, with the same Message-ID; and the dead worker's short, renewed leases
 * let the new one send the rest within seconds rather than minutes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SmtpPeer, startSmtpPeer } from '../testing/smtp-peer.js';
import { describeEachDb } from '../testing/test-db.js';
import { waitFor } from '../testing/wait-for.js';
import type { DbOrTrx } from '../db/db.js';
import { enqueueEmails } from './outbox.repository.js';

const total = 300;
const killAfter = 60;
/** the sender's parallel lanes (its default): at most this many messages are in flight */
const lanes = 16;

let peer: SmtpPeer;
beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterAll(async () => {
  await peer.close();
});

const outputs = new WeakMap<ChildProcess, string[]>();

function startWorker(databaseUrl: string): ChildProcess {
  const child = spawn(process.execPath, ['bin/convene.js', 'worker'], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'ignore'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      SMTP_URL: peer.url,
      SECRET: 'crash-test-secret-0123456789abcdef0123456789',
      DATA_DIR: os.tmpdir(),
      EMAIL_RATE_PER_SECOND: '0',
    },
  });
  const output: string[] = [];
  outputs.set(child, output);
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return child;
}

/** Resolves once the worker says it runs: the restart is done, and its own startup time is not the sender's. */
async function running(child: ChildProcess): Promise<void> {
  const said = () => (outputs.get(child) ?? []).join('');
  await waitFor(() => said().includes('Convene worker running.') || child.exitCode !== null, {
    what: 'the new worker to start',
  });
  if (child.exitCode !== null) throw new Error(`the new worker exited with ${child.exitCode}`);
}

async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
}

async function countSent(db: DbOrTrx): Promise<number> {
  const r = await db
    .selectFrom('email_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'sent')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describeEachDb('email sender killed mid-delivery', (t) => {
  it('repeats at most the messages in flight, and sends the rest within seconds of the restart', async () => {
    peer.reset();
    const emails = Array.from({ length: total }, (_, i) => ({
      dedupeKey: `crash:${i}`,
      to: `crash${i}@example.test`,
      template: 'test_email',
      payload: {},
      category: 'transactional' as const,
    }));
    await t()
      .ctx.db.transaction()
      .execute((trx) => enqueueEmails(trx, emails, Date.now(), 'localhost'));
    // Slow answers keep several messages on open connections at the kill.
    peer.setReplyDelay(40);
    const first = startWorker(t().databaseUrl);
    try {
      await waitFor(() => peer.messages.length >= killAfter, {
        what: () => `${killAfter} messages from the worker (${peer.messages.length} arrived)`,
      });
    } finally {
      first.kill('SIGKILL');
    }
    await stopped(first);

    // In flight: their data reached the server, and the dead worker had not recorded them as sent.
    const unfinished = await t()
      .ctx.db.selectFrom('email_outbox')
      .select('message_id')
      .where('state', '=', 'sending')
      .execute();
    const reached = new Set(peer.attempts.map((a) => a.messageId));
    const inFlight = new Set(unfinished.map((r) => r.message_id).filter((id) => reached.has(id)));
    expect(peer.messages.length).toBeLessThan(total);
    expect(inFlight.size).toBeLessThanOrEqual(lanes);

    peer.setReplyDelay(0);
    const second = startWorker(t().databaseUrl);
    try {
      await running(second);
      // The bound a dead worker's leases impose, with the product's defaults: seconds, not minutes.
      await waitFor(async () => (await countSent(t().ctx.db)) === total, {
        what: `all ${total} emails sent within 30 s of the restart`,
        timeoutMs: 30_000,
      });
    } finally {
      second.kill('SIGTERM');
      await stopped(second);
    }

    const rows = await t()
      .ctx.db.selectFrom('email_outbox')
      .select('message_id')
      .where('dedupe_key', 'like', 'crash:%')
      .execute();
    const received = new Map<string, number>();
    for (const m of peer.messages) received.set(m.messageId, (received.get(m.messageId) ?? 0) + 1);
    // none lost, each with its row's Message-ID
    expect(rows.filter((r) => !received.has(r.message_id))).toEqual([]);
    // repeated: only messages in flight at the kill, each twice at most
    const repeated = [...received].filter(([, n]) => n > 1);
    expect(repeated.filter(([id, n]) => n !== 2 || !inFlight.has(id))).toEqual([]);
    expect(repeated.length).toBeLessThanOrEqual(inFlight.size);
    expect(peer.messages.length).toBe(total + repeated.length);
  });
});
