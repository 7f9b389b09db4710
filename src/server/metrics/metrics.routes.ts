/**
 * GET /metrics: Prometheus text. Off (404) unless METRICS_TOKEN is set; then asked for with
 * `Authorization: Bearer <token>` (compared in constant time), 401 without it. Besides what the
 * process measures (process-metrics.ts), each scrape reads the fleet's queues from the database —
 * the same figures from every process — and this process's database pool.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import { errorResponses, prometheusResponse } from '../../shared/api.js';
import type { AppContext } from '../context.js';
import { poolStatsOf } from '../db/db.js';
import { AppError } from '../errors.js';
import { jobQueueFigures, outboxFigures, type QueueFigures } from './metrics.repository.js';
import { httpRequestSeconds, processRegistry } from './process-metrics.js';

const digest = (value: string) => crypto.createHash('sha256').update(value).digest();

/** Whether the Authorization header carries the token; the comparison takes the same time either way. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? '';
  return crypto.timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

function databaseGauges(ctx: AppContext): { registry: Registry; refresh: () => Promise<void> } {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const jobs = gauge('convene_job_queue_depth', 'Jobs queued or running (every process)', ['state']);
  const jobAge = gauge('convene_job_queue_oldest_due_seconds', 'How long the oldest due job has waited');
  const outbox = gauge('convene_email_outbox_depth', 'Emails queued or being sent (every process)', ['state']);
  const outboxAge = gauge('convene_email_outbox_oldest_due_seconds', 'How long the oldest due email has waited');
  const pool = gauge('convene_db_pool_connections', 'PostgreSQL pool of this process', ['state']);
  const waiting = gauge('convene_db_pool_waiting_requests', 'Queries waiting for a pooled connection');
  const acquired = gauge('convene_db_pool_acquired_total', 'Connections handed out by the pool so far');
  const waited = gauge('convene_db_pool_wait_seconds_total', 'Seconds spent waiting for a pooled connection');
  const put = (depth: Gauge, age: Gauge, figures: QueueFigures, states: string[], now: number) => {
    for (const state of states) depth.set({ state }, figures.byState.find((r) => r.state === state)?.n ?? 0);
    age.set(figures.oldestDueAt === null ? 0 : Math.max(0, (now - figures.oldestDueAt) / 1000));
  };
  return {
    registry,
    refresh: async () => {
      const now = ctx.clock.now();
      put(jobs, jobAge, await jobQueueFigures(ctx.db, now), ['queued', 'running'], now);
      put(outbox, outboxAge, await outboxFigures(ctx.db, now), ['queued', 'sending'], now);
      const stats = poolStatsOf(ctx.db);
      if (stats) {
        pool.set({ state: 'in_use' }, stats.total - stats.idle);
        pool.set({ state: 'idle' }, stats.idle);
        pool.set({ state: 'max' }, stats.max);
        waiting.set(stats.waiting);
        acquired.set(stats.acquired);
        waited.set(stats.waitSeconds);
      }
    },
  };
}

export function registerMetrics(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onResponse', async (request, reply) => {
    httpRequestSeconds.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_class: `${Math.floor(reply.statusCode / 100)}xx`,
      },
      reply.elapsedTime / 1000,
    );
  });
  const database = databaseGauges(ctx);
  app.get(
    '/metrics',
    {
      config: { ownAuthorization: true, interactive: false },
      schema: {
        tags: ['ops'],
        summary: 'Prometheus metrics (with METRICS_TOKEN set; Authorization: Bearer <token>)',
        security: [{ bearer: [] }],
        response: { 200: prometheusResponse('Prometheus text exposition'), ...errorResponses(401, 404, 503) },
      },
    },
    async (request, reply) => {
      const token = ctx.config.metricsToken;
      if (token === undefined) throw new AppError('not_found');
      if (!bearerMatches(request.headers.authorization, token))
        throw new AppError('unauthenticated', 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.');
      await database.refresh();
      const text = `${await processRegistry.metrics()}\n${await database.registry.metrics()}`;
      return reply.type(processRegistry.contentType).send(text);
    },
  );
}
