/**
 * Webhook delivery throughput: events queued set-based (queueWebhookEvents, the way a Data Tools
 * batch writes them) for one batched endpoint, then delivered by the sender to a local receiver
 * (a node http server, 204 to everything), in a temp SQLite database (and PostgreSQL when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL is set). Target: ≥ 1,000 events/s in batches.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createRuntime } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import { startWebhookReceiver } from '../../src/server/testing/webhook-receiver.js';
import { deliverOnce } from '../../src/server/webhooks/sender.js';
import { queueWebhookEvents } from '../../src/server/webhooks/webhook-event.repository.js';
import { insertEndpoint } from '../../src/server/webhooks/webhook.repository.js';
import { round, type BenchFigure } from '../lib/figures.js';

const count = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 50_000);
/** events per transaction when queueing, like a Data Tools batch */
const batch = 2_000;

async function measure(databaseUrl: string, db: string): Promise<BenchFigure[]> {
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'http://localhost:3000',
      WEBHOOK_ALLOW_LOOPBACK: 'true',
    },
    { secret: 'bench-secret-0123456789abcdef0123456789abcdef', dataDir: os.tmpdir() },
  );
  const runtime = await createRuntime(config);
  const receiver = await startWebhookReceiver();
  const ctx = runtime.ctx;
  try {
    await insertEndpoint(
      ctx.db,
      {
        url: receiver.url,
        description: 'bench',
        secret: `whsec_${crypto.randomBytes(32).toString('base64')}`,
        events: ['membership.invited'],
        perEvent: false,
      },
      Date.now(),
    );
    const q0 = performance.now();
    for (let from = 0; from < count; from += batch) {
      const events = Array.from({ length: Math.min(batch, count - from) }, (_, i) => ({
        type: 'membership.invited' as const,
        personId: from + i + 1,
        data: { personId: from + i + 1, communityId: 1, dataJobId: 1 },
      }));
      await ctx.db.transaction().execute((trx) => queueWebhookEvents(trx, Date.now(), events));
    }
    const queueSeconds = (performance.now() - q0) / 1000;
    const t0 = performance.now();
    while (await deliverOnce(ctx, 'bench-sender'));
    const seconds = (performance.now() - t0) / 1000;
    const delivered = receiver.delivered().length;
    if (delivered !== count) throw new Error(`delivered ${delivered} of ${count}`);
    return [
      {
        name: 'webhooks.queue_events_per_s',
        value: Math.round(count / queueSeconds),
        unit: 'events/s',
        db,
        note: `${count} delivery rows written set-based, ${batch} per transaction, in ${round(queueSeconds)} s`,
      },
      {
        name: 'webhooks.delivered_events_per_s',
        value: Math.round(count / seconds),
        unit: 'events/s',
        db,
        note: `${count} events in ${receiver.requests.length} signed requests (batches of 100) in ${round(seconds)} s, one sender`,
      },
    ];
  } finally {
    await receiver.close();
    await runtime.close();
  }
}

export async function run(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-webhooks-'));
  const figures: BenchFigure[] = [];
  try {
    figures.push(...(await measure(`sqlite:${path.join(dir, 'webhooks.db')}`, 'sqlite')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const pgAdmin = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (pgAdmin) {
    const name = `convene_bench_webhooks_${crypto.randomBytes(4).toString('hex')}`;
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
