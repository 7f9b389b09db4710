import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerErrorHandler } from './error-handler.js';

const withCode = (code: string, message: string) => Object.assign(new Error(message), { code });

async function appThrowing(error: Error) {
  const app = Fastify({ logger: false });
  registerErrorHandler(app);
  app.get('/boom', async () => {
    throw error;
  });
  await app.ready();
  return app;
}

describe('a request while the database is unreachable', () => {
  it.each([
    ['refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['shut down by an administrator', withCode('57P01', 'terminating connection due to administrator command')],
    ['SQLite busy', withCode('SQLITE_BUSY', 'database is locked')],
  ])('answers 503 database_unavailable with Retry-After when %s', async (_what, error) => {
    const app = await appThrowing(error);
    const res = await app.inject('/boom');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().error.code).toBe('database_unavailable');
    // the driver's message (addresses, ports) is never echoed
    expect(res.body).not.toContain('5432');
    await app.close();
  });

  it('keeps other errors a 500 without Retry-After', async () => {
    const app = await appThrowing(withCode('23505', 'duplicate key'));
    const res = await app.inject('/boom');
    expect(res.statusCode).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
    await app.close();
  });
});
