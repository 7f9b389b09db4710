/**
 * `convene worker` with METRICS_TOKEN: its own listener answers /metrics (the job runs it ended,
 * the fleet's queue and outbox, the pool on PostgreSQL, event loop lag), /healthz and /readyz, over
 * real HTTP; without the token it opens no port.
 */
import { describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { enqueueEmails } from './email/outbox.repository.js';
import { enqueueJob } from './jobs/queue.repository.js';
import { PermanentJobError } from './jobs/job-handler.js';
import { runNextJob } from './jobs/runner.js';
import { registries } from './modules.js';
import { createLifecycle } from './shutdown.js';
import { createTestRuntime, describeEachDb } from './testing/test-db.js';
import { startWorkerHttp } from './worker-http.js';

const token = 'worker-metrics-token-0123456789';

describeEachDb(
  'the worker’s /metrics',
  (t) => {
    it('answers its job runs, the queues, the pool and event loop lag, and 401 without the token', async () => {
      const { ctx, clock } = t();
      const now = clock.now();
      const handlers = {
        'maintenance.cleanup': async () => {},
        'maintenance.refresh': async () => {
          throw new PermanentJobError('no');
        },
      };
      await enqueueJob(ctx.db, 'maintenance.cleanup', {} as never, now);
      await enqueueJob(ctx.db, 'maintenance.refresh' as never, {} as never, now);
      while (await runNextJob(ctx, { handlers, workerId: 'metrics-test' }));
      await enqueueJob(ctx.db, 'maintenance.cleanup', {} as never, now - 45_000);
      await enqueueEmails(
        ctx.db,
        [{ dedupeKey: 'wm:1', to: 'w@example.test', template: 'test_email', payload: {}, category: 'transactional' }],
        now - 20_000,
        'localhost',
      );
      const app = await startWorkerHttp(ctx, {
        lifecycle: createLifecycle(),
        emailTemplates: registries.emailTemplates,
        port: 0,
      });
      if (!app) throw new Error('no listener with METRICS_TOKEN set');
      try {
        const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
        expect((await fetch(`${base}/metrics`)).status).toBe(401);
        const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        const text = await res.text();
        expect(text).toMatch(/convene_jobs_finished_total\{name="maintenance\.cleanup",outcome="completed"\} [1-9]/);
        expect(text).toMatch(/convene_jobs_finished_total\{name="maintenance\.refresh",outcome="failed"\} [1-9]/);
        expect(text).toMatch(/convene_job_run_seconds_count\{name="maintenance\.cleanup"\} [1-9]/);
        expect(text).toContain('convene_job_queue_depth{state="queued"} 1');
        expect(text).toMatch(/convene_job_queue_oldest_due_seconds 45\n/);
        expect(text).toContain('convene_email_outbox_depth{state="queued"} 1');
        expect(text).toMatch(/convene_email_outbox_oldest_due_seconds 20\n/);
        expect(text).toContain('convene_email_outcomes_total');
        expect(text).toContain('convene_nodejs_eventloop_lag_seconds');
        if (t().dialect === 'postgres') expect(text).toMatch(/convene_db_pool_connections\{state="max"\} \d+/);
        expect((await fetch(`${base}/healthz`)).status).toBe(200);
        expect((await fetch(`${base}/readyz`)).status).toBe(200);
        // no feature route on the worker
        expect((await fetch(`${base}/api/me`)).status).toBe(404);
      } finally {
        await app.close();
      }
    });
  },
  { metricsToken: token, host: '127.0.0.1' },
);

describe('the worker without METRICS_TOKEN', () => {
  it('opens no port', async () => {
    const rt = await createTestRuntime('sqlite');
    try {
      expect(
        await startWorkerHttp(rt.ctx, { lifecycle: createLifecycle(), emailTemplates: registries.emailTemplates }),
      ).toBeUndefined();
    } finally {
      await rt.close();
    }
  });
});
