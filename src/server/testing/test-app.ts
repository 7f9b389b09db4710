/** The Fastify app over a test runtime, for inject() tests. */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { build, type BuildOptions } from '../app.js';
import type { TestRuntime } from './test-db.js';

/**
 * The app as the site's own pages call it: browsers send an Origin with every unsafe request, so
 * injected requests carry the site's origin unless the test gives its own. Tests of the CSRF
 * check itself build the app with `build()` and set (or leave out) every header.
 */
export async function buildTestApp(runtime: TestRuntime, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = await build(runtime.ctx, { webRoot: null, ...options });
  await app.ready();
  return fromOwnPages(app, new URL(runtime.ctx.config.publicUrl).origin);
}

export function fromOwnPages(app: FastifyInstance, origin: string): FastifyInstance {
  const inject = app.inject.bind(app);
  const withOrigin = (options: string | InjectOptions) =>
    typeof options === 'string'
      ? inject(options)
      : inject({ ...options, headers: { origin, ...(options.headers as Record<string, string> | undefined) } });
  return Object.assign(app, { inject: withOrigin }) as FastifyInstance;
}

/** Inside a describeEachDb suite: an app built once for the suite. */
export function useTestApp(t: () => TestRuntime, options: BuildOptions = {}): () => FastifyInstance {
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    app = await buildTestApp(t(), options);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('test app not ready');
    return app;
  };
}
