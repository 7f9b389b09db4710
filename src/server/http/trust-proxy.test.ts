/**
 * TRUST_PROXY: behind a proxy the client's address comes from X-Forwarded-For, but only the hops
 * the site trusts count; whatever a client writes in front of them cannot change its address
 * (the per-IP sign-in cap holds).
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { nextEmail } from '../auth/testing.js';
import { codeRequestsPerIpPerHour } from '../auth/sign-in-code.service.js';
import type { TrustProxy } from '../config.js';
import { loadConfig } from '../config.js';
import { buildTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';

const proxy = '10.9.0.1';

async function askUntilCapped(app: FastifyInstance, client: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i <= codeRequestsPerIpPerHour; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/code',
      remoteAddress: proxy,
      // the client writes a new address each time; the proxy appends the one it saw
      headers: { 'x-forwarded-for': `198.51.100.${i % 250}, ${client}` },
      payload: { email: nextEmail('proxied') },
    });
    statuses.push(res.statusCode);
  }
  return statuses;
}

for (const [label, trustProxy] of [
  ['a hop count', 1],
  ['a proxy CIDR', ['10.9.0.0/16']],
] as [string, TrustProxy][]) {
  describeEachDb(
    `TRUST_PROXY as ${label}`,
    (t) => {
      it('a spoofed X-Forwarded-For does not get past the per-IP sign-in cap; each client behind the proxy has its own', async () => {
        const app = await buildTestApp(t());
        try {
          const statuses = await askUntilCapped(app, '203.0.113.7');
          expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
          expect(statuses.at(-1)).toBe(429);
          // another client behind the same proxy has its own cap: the forwarded address is used
          const other = await app.inject({
            method: 'POST',
            url: '/api/auth/code',
            remoteAddress: proxy,
            headers: { 'x-forwarded-for': '203.0.113.8' },
            payload: { email: nextEmail('proxied') },
          });
          expect(other.statusCode).toBe(200);
        } finally {
          await app.close();
        }
      });
    },
    { trustProxy },
  );
}

describe('TRUST_PROXY configuration', () => {
  const secret = { SECRET: 'x'.repeat(32) };
  it('takes false, a hop count or a list of addresses and CIDRs', () => {
    expect(loadConfig(secret).trustProxy).toBe(false);
    expect(loadConfig({ ...secret, TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ ...secret, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ...secret, TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1,loopback' }).trustProxy).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      '::1',
      'loopback',
    ]);
  });
  it('refuses true (every hop) and anything that is not an address', () => {
    expect(() => loadConfig({ ...secret, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: true would trust every hop/);
    expect(() => loadConfig({ ...secret, TRUST_PROXY: '10.0.0.1,proxy.local,10.0.0.0/33' })).toThrow(
      /not: proxy.local, 10.0.0.0\/33/,
    );
  });
});
