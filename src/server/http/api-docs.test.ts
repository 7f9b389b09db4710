/**
 * /api/docs (Swagger UI) under its own Content-Security-Policy: it must not ask the browser to
 * upgrade to https on a plain-http site (the page came up blank on a LAN address), and it allows the
 * inline styles Swagger UI sets. Both databases (the app needs one).
 */
import { expect, it } from 'vitest';
import { build } from '../app.js';
import { describeEachDb } from '../testing/test-db.js';
import { useTestApp } from '../testing/test-app.js';

describeEachDb('API docs CSP', (t) => {
  const app = useTestApp(t);

  it('over http: no upgrade-insecure-requests, inline styles allowed, scripts from self only', async () => {
    for (const url of ['/api/docs', '/api/docs/static/swagger-initializer.js']) {
      const res = await app().inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("script-src 'self';");
    }
    expect((await app().inject({ method: 'GET', url: '/api/docs/json' })).json().paths['/api/auth/code']).toBeDefined();
  });

  it('over https: upgrade-insecure-requests as on every other page', async () => {
    const https = await build(
      { ...t().ctx, config: { ...t().ctx.config, publicUrl: 'https://convene.example' } },
      { webRoot: null },
    );
    try {
      const res = await https.inject({ method: 'GET', url: '/api/docs' });
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    } finally {
      await https.close();
    }
  });

  it('/api/openapi.json lists every contract path of the architecture (HTML pages aside)', async () => {
    const contract = [
      'GET /healthz',
      'GET /readyz',
      'POST /api/auth/code',
      'POST /api/auth/verify',
      'POST /api/auth/link',
      'POST /api/auth/logout',
      'GET /api/me',
      'GET /api/people/search',
      'GET /api/communities',
      'GET /api/communities/{id}',
      'GET /api/communities/{id}/members',
      'POST /api/communities/{id}/invitations',
      'GET /api/me/recommended-communities',
      'POST /api/communities/{id}/join',
      'POST /api/communities/{id}/dismiss',
      'POST /api/communities/{id}/leave',
      'GET /api/admin/people',
      'POST /api/admin/people',
      ...['approve', 'reject', 'deactivate', 'reactivate', 'admin'].map((a) => `POST /api/admin/people/{id}/${a}`),
      'GET /api/admin/communities',
      'POST /api/admin/communities',
      'PATCH /api/admin/communities/{id}',
      'POST /api/admin/data-jobs',
      'PUT /api/admin/data-jobs/{id}/mapping',
      'GET /api/admin/data-jobs/{id}',
      ...['start', 'cancel', 'undo'].map((a) => `POST /api/admin/data-jobs/{id}/${a}`),
      'GET /api/admin/data-jobs/{id}/results',
      'GET /api/admin/data-jobs/{id}/results.csv',
      'GET /api/landing/{slug}',
      'POST /api/landing/{slug}/code',
      'POST /api/landing/{slug}/verify',
      'GET /api/admin/emails',
    ];
    const paths = (await app().inject({ method: 'GET', url: '/api/openapi.json' })).json().paths as Record<
      string,
      Record<string, unknown>
    >;
    const missing = contract.filter((entry) => {
      const [method, path] = entry.split(' ');
      return !paths[path]?.[method.toLowerCase()];
    });
    expect(missing).toEqual([]);
  });
});
