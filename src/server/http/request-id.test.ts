/**
 * Request ids: every answer carries X-Request-Id, and an error answer also says it in `requestId`;
 * an id from the proxy in front is kept only when TRUST_PROXY trusts that proxy and the id is sane.
 */
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { trustsPeer } from './request-id.js';

const proxyId = 'lb-7f3a9c2e-0001';

describeEachDb('request ids without a trusted proxy', (t) => {
  it('each answer has its own id, and an error answer names it', async () => {
    const app = await buildTestApp(t());
    try {
      const ok = await app.inject({ url: '/healthz' });
      expect(ok.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const missing = await app.inject({ url: '/api/admin/emails', headers: { 'x-request-id': proxyId } });
      expect(missing.statusCode).toBe(401);
      const id = missing.headers['x-request-id'];
      expect(id).not.toBe(proxyId);
      expect(id).not.toBe(ok.headers['x-request-id']);
      expect(missing.json()).toMatchObject({ error: { code: 'unauthenticated' }, requestId: id });
    } finally {
      await app.close();
    }
  });
});

describeEachDb(
  'request ids behind a trusted proxy',
  (t) => {
    it('keeps the proxy’s sane id, and replaces one that is not', async () => {
      const app = await buildTestApp(t());
      try {
        const kept = await app.inject({
          url: '/api/nowhere',
          remoteAddress: '10.9.0.1',
          headers: { 'x-request-id': proxyId },
        });
        expect(kept.headers['x-request-id']).toBe(proxyId);
        expect(kept.json().requestId).toBe(proxyId);
        for (const bad of ['short', 'has spaces in it', `x${'a'.repeat(200)}`, 'line\u2028break-000']) {
          const res = await app.inject({
            url: '/healthz',
            remoteAddress: '10.9.0.1',
            headers: { 'x-request-id': bad },
          });
          expect(res.headers['x-request-id']).not.toBe(bad);
        }
        // not from the proxy: a client cannot choose its id
        const direct = await app.inject({
          url: '/healthz',
          remoteAddress: '203.0.113.9',
          headers: { 'x-request-id': proxyId },
        });
        expect(direct.headers['x-request-id']).not.toBe(proxyId);
      } finally {
        await app.close();
      }
    });
  },
  { trustProxy: ['10.9.0.0/16'] },
);

describe('trustsPeer', () => {
  it('reads TRUST_PROXY as Fastify does: nothing, a hop count, addresses, CIDRs and names', () => {
    expect(trustsPeer(false)('127.0.0.1')).toBe(false);
    expect(trustsPeer(1)('203.0.113.9')).toBe(true);
    const list = trustsPeer(['10.9.0.0/16', '192.0.2.5', 'loopback']);
    expect(list('10.9.200.1')).toBe(true);
    expect(list('::ffff:10.9.0.1')).toBe(true);
    expect(list('192.0.2.5')).toBe(true);
    expect(list('192.0.2.6')).toBe(false);
    expect(list('::1')).toBe(true);
    expect(list('127.0.0.1')).toBe(true);
    expect(list(undefined)).toBe(false);
  });
});
