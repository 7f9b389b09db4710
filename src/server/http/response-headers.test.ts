import { expect, it } from 'vitest';
import { buildAdmin, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';

describeEachDb('response headers', (t) => {
  const app = useTestApp(t);

  it('signed-in API answers, CSV exports and errors included, are never stored', async () => {
    const admin = await buildAdmin(t().ctx);
    await buildPerson(t().ctx);
    const cookie = await sessionCookie(t().ctx, admin.id);
    for (const url of [
      '/api/me',
      '/api/admin/people?status=active',
      '/api/admin/people.csv?status=active',
      '/api/people/search?q=a',
      '/api/admin/people/999999',
    ]) {
      const res = await app().inject({ url, headers: { cookie } });
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
    const anonymous = await app().inject({ url: '/api/me' });
    expect(anonymous.headers['cache-control']).toBe('no-store');
  });

  it('every answer turns off browser features the app never uses', async () => {
    for (const url of ['/healthz', '/api/me', '/api/nope']) {
      const policy = (await app().inject({ url })).headers['permissions-policy'];
      expect(policy, url).toContain('camera=()');
      expect(policy, url).toContain('geolocation=()');
    }
  });
});
