import { describe, expect, it } from 'vitest';
import { describeEachDb, testConfig } from '../testing/test-db.js';
import { useTestApp } from '../testing/test-app.js';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { maskEmail, maskEmailsIn } from '../log.js';
import { loggerOptions, redactUrl } from './log.js';

describeEachDb('http basics', (t) => {
  const app = useTestApp(t);

  it('answers liveness and readiness with the dialect', async () => {
    expect((await app().inject('/healthz')).json()).toEqual({ ok: true });
    const ready = await app().inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ ok: true, database: t().dialect });
  });

  it('answers unknown API paths with the error shape, never a stack', async () => {
    const res = await app().inject('/api/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' }, requestId: expect.any(String) });
  });

  it('serves the OpenAPI document', async () => {
    const res = await app().inject('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toMatch(/^3\./);
  });

  it('sets security headers', async () => {
    const res = await app().inject('/healthz');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('rejects an unknown bearer token', async () => {
    const res = await app().inject({ url: '/api/nope', headers: { authorization: 'Bearer cvn_nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });
});

describe('log redaction', () => {
  it('hides secrets in paths and query strings', () => {
    expect(redactUrl('/auth/link/abc123?x=1')).toBe('/auth/link/***');
    expect(redactUrl('/invite/tok')).toBe('/invite/***');
    expect(redactUrl('/api/me?email=a@b.c')).toBe('/api/me');
  });
  it('masks addresses in logged errors (a database error quotes the value)', () => {
    const lines: string[] = [];
    const log = pino(
      { ...(loggerOptions(testConfig('sqlite::memory:')) as object), level: 'info' },
      new Writable({
        write(c, _e, done) {
          lines.push(String(c));
          done();
        },
      }),
    );
    const error = Object.assign(new Error('duplicate key value violates unique constraint "person_email_key"'), {
      detail: 'Key (email)=(jane.doe@example.edu) already exists.',
    });
    log.error({ err: error }, 'unhandled error');
    log.error({ err: 'thrown as a string by jane.doe@example.edu' }, 'odd throw');
    expect(lines.join('')).toContain('ja***@example.edu');
    expect(lines.join('')).not.toContain('jane.doe@example.edu');
    expect(lines[1]).toContain('"err":"thrown as a string by ja***@example.edu"');
  });
  it('masks emails', () => {
    expect(maskEmail('jane.doe@example.edu')).toBe('ja***@example.edu');
    expect(maskEmailsIn('550 5.1.1 <jane.doe@example.edu>: rejected; cc bob@x.org')).toBe(
      '550 5.1.1 <ja***@example.edu>: rejected; cc bo***@x.org',
    );
    // a long text without an address (a stack, a quoted value) passes through in one linear scan
    const long = 'x'.repeat(200_000);
    expect(maskEmailsIn(long)).toBe(long);
  });
});
