/**
 * Email sender throughput: 5,000 queued emails in a temp SQLite database (and PostgreSQL when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL is set), delivered unthrottled over SMTP to the local
 * test peer. Target: ≥ 200 messages/s.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createRuntime } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import { enqueueEmail } from '../../src/server/email/outbox.repository.js';
import { startEmailSender } from '../../src/server/email/sender.js';
import { createSmtpTransport } from '../../src/server/email/transport.js';
import { startSmtpPeer } from '../../src/server/testing/smtp-peer.js';
import { waitFor } from '../../src/server/testing/wait-for.js';
import { round, type BenchFigure } from '../lib/figures.js';
import { registries } from '../../src/server/modules.js';

const count = Number(process.env.BENCH_EMAILS ?? 5_000);

/** The same SMTP traffic with no database: what this machine allows right now, for comparison. */
async function smtpBaseline(): Promise<BenchFigure> {
  const peer = await startSmtpPeer({ parse: false });
  const transport = createSmtpTransport({ url: peer.url, from: 'Convene <no-reply@localhost>' });
  try {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < count) {
          const i = next++;
          await transport.send({
            to: `person${i}@example.test`,
            subject: 'Test email from Convene',
            text: 'hello',
            html: '<p>hello</p>',
            messageId: `<${i}@localhost>`,
          });
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    return {
      name: 'email_sender.smtp_baseline_messages_per_s',
      value: Math.round(count / seconds),
      unit: 'msg/s',
      db: 'none',
      note: 'bare nodemailer pool of 8 → peer, no outbox',
    };
  } finally {
    transport.close();
    await peer.close();
  }
}

async function measure(databaseUrl: string, db: string): Promise<BenchFigure[]> {
  const config = loadConfig(
    { NODE_ENV: 'production', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' },
    { secret: 'bench-secret-0123456789abcdef0123456789abcdef', dataDir: os.tmpdir() },
  );
  const runtime = await createRuntime(config);
  // The peer only counts: parsing every message in this process would measure mailparser.
  const peer = await startSmtpPeer({ parse: false });
  const transport = createSmtpTransport({ url: peer.url, from: config.mailFrom });
  try {
    const now = Date.now();
    await runtime.ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < count; i++) {
        await enqueueEmail(
          trx,
          {
            dedupeKey: `bench:${i}`,
            to: `person${i}@example.test`,
            template: 'test_email',
            payload: { requestedBy: 'bench' },
            category: 'transactional',
          },
          now,
          'localhost',
        );
      }
    });
    const t0 = performance.now();
    const sender = startEmailSender(runtime.ctx, {
      transport,
      templates: registries.emailTemplates,
      hooks: registries.deliveryHooks,
      ratePerSecond: 0,
    });
    await peer.waitFor(count, 600_000);
    // delivered is not done: wait until every row is recorded as sent
    await waitFor(
      async () => {
        const row = await runtime.ctx.db
          .selectFrom('email_outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('state', '=', 'sent')
          .executeTakeFirstOrThrow();
        return Number(row.n) === count;
      },
      { what: `all ${count} outbox rows to be sent`, timeoutMs: 600_000, intervalMs: 5 },
    );
    const seconds = (performance.now() - t0) / 1000;
    await sender.stop();
    return [
      {
        name: 'email_sender.messages_per_s',
        value: Math.round(count / seconds),
        unit: 'msg/s',
        db,
        note: `${count} emails in ${round(seconds)} s, unthrottled, 16 lanes, 8 SMTP connections`,
      },
    ];
  } finally {
    transport.close();
    await peer.close();
    await runtime.close();
  }
}

export async function run(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-email-'));
  const figures: BenchFigure[] = [await smtpBaseline()];
  try {
    figures.push(...(await measure(`sqlite:${path.join(dir, 'email.db')}`, 'sqlite')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const pgAdmin = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (pgAdmin) {
    const name = `convene_bench_email_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgAdmin });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(pgAdmin);
      url.pathname = `/${name}`;
      figures.push(...(await measure(url.toString(), 'postgres')));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
  for (const f of figures) console.log(`${f.name} = ${f.value} ${f.unit} (${f.db}; ${f.note})`);
  return figures;
}
