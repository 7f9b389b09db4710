/**
 * The CSRF check on the real app, with every header written out (no default Origin): a sibling
 * subdomain's page is "same-site" and its requests carry our Lax cookies.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { build } from '../app.js';
import { apiToken, buildAdmin, buildPerson, sessionCookie } from '../testing/factories.js';
import { describeEachDb, siteOrigin } from '../testing/test-db.js';
import { unsubscribeUrl } from '../email/unsubscribe.js';

const evil = 'https://student-pages.example.edu';

describeEachDb('CSRF: unsafe requests come from the site’s own pages', (t) => {
  let app: FastifyInstance;
  let cookie: string;
  beforeAll(async () => {
    app = await build(t().ctx, { webRoot: null });
    await app.ready();
    cookie = await sessionCookie(t().ctx, (await buildAdmin(t().ctx)).id);
  });
  afterAll(async () => {
    await app.close();
  });
  const codeOf = (res: { json(): { error?: { code?: string } } }) => res.json().error?.code;
  const deactivate = async (headers: Record<string, string>) => {
    const person = await buildPerson(t().ctx);
    const res = await app.inject({
      method: 'POST',
      url: `/api/admin/people/${person.id}/deactivate`,
      headers,
      payload: {},
    });
    return { res, person };
  };

  it('refuses a same-site page with a foreign Origin, and nothing changes', async () => {
    const { res, person } = await deactivate({ cookie, 'sec-fetch-site': 'same-site', origin: evil });
    expect(res.statusCode).toBe(403);
    expect(codeOf(res)).toBe('csrf_rejected');
    const after = await t().ctx.db.selectFrom('person').select('status').where('id', '=', person.id).executeTakeFirst();
    expect(after?.status).toBe('active');
  });

  it('refuses a foreign Origin whatever Sec-Fetch-Site says, and a cross-site request with no Origin', async () => {
    for (const headers of <Record<string, string>[]>[
      { cookie, 'sec-fetch-site': 'same-origin', origin: evil },
      { cookie, origin: 'https://evil.example' },
      { cookie, origin: 'null' },
      { cookie, 'sec-fetch-site': 'cross-site' },
    ]) {
      const { res } = await deactivate(headers);
      expect([res.statusCode, codeOf(res)]).toEqual([403, 'csrf_rejected']);
    }
  });

  it('refuses a multipart data-job upload from a same-site page', async () => {
    const boundary = 'b';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\npreverify\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nemail\r\na@example.test\r\n--${boundary}--\r\n`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/admin/data-jobs',
      headers: {
        cookie,
        'sec-fetch-site': 'same-site',
        origin: evil,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: body,
    });
    expect([res.statusCode, codeOf(res)]).toEqual([403, 'csrf_rejected']);
  });

  it('needs an Origin, or failing that a Referer, on the site’s origin when a session cookie rides along', async () => {
    expect(codeOf((await deactivate({ cookie })).res)).toBe('csrf_rejected');
    expect(codeOf((await deactivate({ cookie, referer: `${evil}/page` })).res)).toBe('csrf_rejected');
    expect((await deactivate({ cookie, referer: `${siteOrigin}/admin/members` })).res.statusCode).toBe(200);
    expect((await deactivate({ cookie, origin: siteOrigin, 'sec-fetch-site': 'same-origin' })).res.statusCode).toBe(
      200,
    );
  });

  it('refuses a foreign Origin without a cookie too (no sign-in from another site)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/code',
      headers: { origin: evil },
      payload: { email: 'someone@example.test' },
    });
    expect([res.statusCode, codeOf(res)]).toEqual([403, 'csrf_rejected']);
  });

  it('lets requests that carry their own credential through: API tokens and one-click unsubscribe', async () => {
    const admin = await buildAdmin(t().ctx);
    const token = await apiToken(t().ctx, admin.id);
    const { res } = await deactivate({ authorization: `Bearer ${token}`, origin: evil });
    expect(res.statusCode).toBe(200);

    // RFC 8058: the mail provider's server posts the form, with no Origin and no cookie
    const url = new URL(unsubscribeUrl(t().ctx.config, 'reader@example.test'));
    const oneClick = await app.inject({
      method: 'POST',
      url: url.pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    const suppressed = await t()
      .ctx.db.selectFrom('suppression')
      .select('email')
      .where('email', '=', 'reader@example.test')
      .executeTakeFirst();
    expect(suppressed).toBeDefined();
  });
});
