/**
 * `convene worker` serves no pages, but with METRICS_TOKEN set it listens on METRICS_PORT for
 * what an operator scrapes and probes: /metrics (its own job runs, email outcomes and send rate,
 * database pool and event loop lag, and the fleet's queues), /healthz and /readyz. It is the same
 * app as `serve`'s with no feature routes, so the three answer exactly as they do there.
 */
import type { FastifyInstance } from 'fastify';
import { build } from './app.js';
import type { AppContext } from './context.js';
import type { Registries } from './module.js';
import type { Lifecycle } from './shutdown.js';

/** The worker's HTTP app, listening; undefined when METRICS_TOKEN is not set. */
export async function startWorkerHttp(
  ctx: AppContext,
  options: { lifecycle: Lifecycle; emailTemplates: Registries['emailTemplates']; port?: number },
): Promise<FastifyInstance | undefined> {
  if (ctx.config.metricsToken === undefined) return undefined;
  const app = await build(ctx, {
    webRoot: null,
    lifecycle: options.lifecycle,
    registries: { routes: [], emailTemplates: options.emailTemplates },
  });
  await app.listen({ port: options.port ?? ctx.config.metricsPort, host: ctx.config.host });
  return app;
}
