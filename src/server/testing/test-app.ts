/** The Fastify app over a test runtime, for inject() tests. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { build, type BuildOptions } from '../app.js';
import type { TestRuntime } from './test-db.js';

export async function buildTestApp(runtime: TestRuntime, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = await build(runtime.ctx, { webRoot: null, ...options });
  await app.ready();
  return app;
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
