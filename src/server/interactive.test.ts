/**
 * The requests in flight that a SQLite data job gives way to (interactive.ts): counted from the
 * request's start to its answer (or abandonment), and the wait that ends when none is left or at
 * its limit.
 */
import { describe, expect, it } from 'vitest';
import { requestEnded, requestsInFlight, requestStarted, servedWithin, whenNoRequests } from './interactive.js';
import { buildAdmin, sessionCookie } from './testing/factories.js';
import { buildTestApp } from './testing/test-app.js';
import { describeEachDb } from './testing/test-db.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('whenNoRequests', () => {
  it('resolves at once when no request is in flight', async () => {
    expect(requestsInFlight()).toBe(0);
    await whenNoRequests(60_000);
  });

  it('waits for the last request in flight to end', async () => {
    requestStarted();
    requestStarted();
    let resolved = false;
    const waiting = whenNoRequests(60_000).then(() => (resolved = true));
    requestEnded();
    await nextTurn();
    expect(resolved).toBe(false);
    requestEnded();
    await waiting;
    expect(resolved).toBe(true);
  });

  it('stops waiting at its limit when requests keep coming', async () => {
    requestStarted();
    try {
      await whenNoRequests(5);
      expect(requestsInFlight()).toBe(1);
    } finally {
      requestEnded();
    }
  });
});

describeEachDb('requests in flight through the app', (t) => {
  it('leaves no request counted once every request is answered', async () => {
    const app = await buildTestApp(t());
    try {
      const before = requestsInFlight();
      const answers = await Promise.all([
        app.inject({ url: '/healthz' }),
        app.inject({ url: '/api/nope' }),
        app.inject({ url: '/readyz' }),
      ]);
      expect(answers.map((a) => a.statusCode)).toEqual([200, 404, 200]);
      await nextTurn();
      expect(requestsInFlight()).toBe(before);
    } finally {
      await app.close();
    }
  });
});

describeEachDb('requests a job does not give way to', (t) => {
  it('are machine probes and progress polls: only the requests of people at the pages count', async () => {
    const app = await buildTestApp(t());
    try {
      const admin = await buildAdmin(t().ctx);
      const cookie = await sessionCookie(t().ctx, admin.id);
      const since = performance.now();
      const answers = await Promise.all([
        app.inject({ url: '/healthz' }),
        app.inject({ url: '/readyz' }),
        app.inject({ url: '/metrics' }),
        app.inject({ url: '/api/admin/data-jobs', headers: { cookie } }),
        app.inject({ url: '/api/admin/data-jobs/999999', headers: { cookie } }),
      ]);
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 404, 200, 404]);
      expect(servedWithin(performance.now() - since)).toBe(false);
      expect((await app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
      expect(servedWithin(performance.now() - since)).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('servedWithin', () => {
  it('leaves out a probe or progress poll, which a job still waits for', async () => {
    const since = performance.now();
    requestStarted(false);
    let resolved = false;
    const waiting = whenNoRequests(60_000).then(() => (resolved = true));
    try {
      expect(servedWithin(performance.now() - since)).toBe(false);
      expect(requestsInFlight()).toBe(1);
      await nextTurn();
      expect(resolved).toBe(false);
    } finally {
      requestEnded(false);
    }
    await waiting;
    expect(resolved).toBe(true);
    expect(servedWithin(performance.now() - since)).toBe(false);
  });

  it('is true while a request is in flight and for the window after it started', () => {
    requestStarted();
    try {
      expect(servedWithin(0)).toBe(true);
    } finally {
      requestEnded();
    }
    expect(servedWithin(60_000)).toBe(true);
  });
});
