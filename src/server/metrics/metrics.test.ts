/**
 * /metrics: off (404) without METRICS_TOKEN; with it, only the bearer token opens it, and the text
 * carries HTTP latency by route, the job queue and the outbox (depth and age), email outcomes, the
 * database pool (PostgreSQL) and event loop lag.
 */
import { describe, expect, it } from 'vitest';
import { enqueueJob } from '../jobs/queue.repository.js';
import { enqueueEmails } from '../email/outbox.repository.js';
import { buildTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { bearerMatches } from './metrics.routes.js';

const token = 'metrics-token-0123456789abcdef';

describeEachDb('/metrics without METRICS_TOKEN', (t) => {
  it('is not there: 404, with or without a token', async () => {
    const app = await buildTestApp(t());
    try {
      expect((await app.inject({ url: '/metrics' })).statusCode).toBe(404);
      const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    } finally {
      await app.close();
    }
  });
});

describeEachDb(
  '/metrics with METRICS_TOKEN',
  (t) => {
    it('answers 401 without the token or with another, in the error shape', async () => {
      const app = await buildTestApp(t());
      try {
        for (const authorization of [undefined, 'Bearer wrong-token-0123456789', token, `Basic ${token}`]) {
          const res = await app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
          expect(res.statusCode, String(authorization)).toBe(401);
          expect(res.json().error.code).toBe('unauthenticated');
        }
      } finally {
        await app.close();
      }
    });

    it('with the token: Prometheus text with latency by route, queues, outbox, pool and event loop lag', async () => {
      const { ctx, clock } = t();
      const app = await buildTestApp(t());
      try {
        await app.inject({ url: '/healthz' });
        await app.inject({ url: '/api/nope' });
        const now = clock.now();
        await enqueueJob(ctx.db, 'maintenance.cleanup', {} as never, now - 30_000);
        const emails = Array.from({ length: 3 }, (_, i) => ({
          dedupeKey: `metrics:${i}`,
          to: `m${i}@example.test`,
          template: 'test_email',
          payload: {},
          category: 'transactional' as const,
        }));
        await enqueueEmails(ctx.db, emails, now - 12_000, 'localhost');
        const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
        const text = res.body;
        expect(text).toMatch(
          /convene_http_request_duration_seconds_count\{method="GET",route="\/healthz",status_class="2xx"\} \d+/,
        );
        expect(text).toMatch(
          /convene_http_request_duration_seconds_count\{[^}]*route="unmatched"[^}]*status_class="4xx"/,
        );
        expect(text).toContain('convene_job_queue_depth{state="queued"} 1');
        expect(text).toMatch(/convene_job_queue_oldest_due_seconds 30\n/);
        expect(text).toContain('convene_email_outbox_depth{state="queued"} 3');
        expect(text).toMatch(/convene_email_outbox_oldest_due_seconds 12\n/);
        expect(text).toContain('convene_nodejs_eventloop_lag_seconds');
        if (t().dialect === 'postgres') {
          expect(text).toMatch(/convene_db_pool_connections\{state="in_use"\} \d+/);
          expect(text).toMatch(/convene_db_pool_wait_seconds_total [\d.e-]+/);
        }
        // no URL with an id or a person's data becomes a label
        expect(text).not.toContain('/api/nope');
      } finally {
        await app.close();
      }
    });
  },
  { metricsToken: token },
);

describe('bearerMatches', () => {
  it('takes exactly "Bearer <token>"', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`Bearer ${token}x`, token)).toBe(false);
    expect(bearerMatches('Bearer ', token)).toBe(false);
    expect(bearerMatches(undefined, token)).toBe(false);
  });
});
