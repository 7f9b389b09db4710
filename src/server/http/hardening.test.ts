/**
 * Malformed input at every route: wrong path params, malformed JSON, wrong types, huge bodies,
 * unknown fields. Every answer must be our error shape (or a success), never a 500 and never a
 * library's message or a stack trace.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { build } from '../app.js';
import { buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { fromOwnPages } from '../testing/test-app.js';
import { describeEachDb, siteOrigin } from '../testing/test-db.js';

interface Route {
  method: string;
  url: string;
}

const badParams = ['abc', '99999999999999999999', '2147483648', '9007199254740991', '-1', '1.5', '0', '%00', '1e3'];
const badBodies: (string | undefined)[] = [
  '{"a":', // malformed JSON
  '[]',
  'null',
  '"x"',
  '{"email":12,"name":[],"ids":"x","communityId":"abc","personId":{"a":1},"unknownField":1}',
  '{"email":"a\\u0000@example.test","name":"x\\u0000","firstName":"x\\u0000","lastName":"y","headline":"\\u0000","message":"\\u0000","query":"\\u0000","slug":"a\\u0000","token":"\\u0000","code":"\\u0000"}',
  '{"communityId":2147483648,"personId":2147483648,"personIds":[2147483648],"ids":[2147483648],"recipients":[{"personId":2147483648}],"memberTypeId":2147483648,"limit":2147483648}',
  '{"__proto__":{"isAdmin":true},"email":"a@example.test"}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"communityId":99999999999999999999,"personId":1e300,"id":-1,"ids":[99999999999999999999],"limit":1e20}',
  undefined, // empty body with JSON content-type
];
/** Slow to parse, request after request: a test each keeps every test well inside its timeout. */
const deepBodies = {
  arrays: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  objects: `{"a":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
};

function fillParams(url: string, value: string): string {
  return url.replace(/:[A-Za-z]+/g, value).replace(/\*$/, value);
}

const leak =
  /\bat \S+ \(|node_modules|SQLITE_|syntax error|invalid input syntax|invalid byte sequence|out of range|Kysely|ZodError|FST_/;

/** The problems with one answer (empty when it is fine). */
function problems(route: string, res: { statusCode: number; body: string }): string[] {
  const where = `${route} → ${res.statusCode} ${res.body.slice(0, 200)}`;
  if (res.statusCode >= 500) return [where];
  if (leak.test(res.body)) return [`leak: ${where}`];
  if (res.statusCode >= 400) {
    const json = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof json.error?.code !== 'string' || typeof json.error.message !== 'string') return [`shape: ${where}`];
  }
  return [];
}

describeEachDb('hardening: malformed input never answers 500', (t) => {
  const routes: Route[] = [];
  let app: FastifyInstance;
  let cookie: string;
  /** admin, a plain member, and nobody: each reaches different code paths */
  let callers: Record<string, string>[] = [];

  beforeAll(async () => {
    app = await build(t().ctx, {
      webRoot: null,
      onRoute: (r) => {
        // sign-out would end the callers' sessions and leave the later probes anonymous
        if (r.url === '/api/auth/logout') return;
        for (const m of [r.method].flat()) if (m !== 'HEAD' && m !== 'OPTIONS') routes.push({ method: m, url: r.url });
      },
    });
    await app.ready();
    fromOwnPages(app, siteOrigin);
    const admin = await buildAdmin(t().ctx);
    await buildCommunity(t().ctx);
    cookie = await sessionCookie(t().ctx, admin.id);
    const member = await buildPerson(t().ctx);
    callers = [{ cookie }, { cookie: await sessionCookie(t().ctx, member.id) }, {}];
    return async () => {
      await app.close();
    };
  });

  afterEach(async () => {
    // every probe ran as the callers it meant to: nothing above signed them out
    for (const caller of callers.slice(0, 2))
      expect((await app.inject({ url: '/api/me', headers: caller })).statusCode).toBe(200);
  });

  it('answers bad path params with 400/404 in our shape', async () => {
    const found: string[] = [];
    const withParams = routes.filter((r) => r.url.includes(':'));
    expect(withParams.length).toBeGreaterThan(5);
    for (const r of withParams) {
      for (const p of badParams) {
        const url = fillParams(r.url, p);
        for (const caller of callers) {
          const res = await app.inject({
            method: r.method as 'GET',
            url,
            headers: { ...caller, 'content-type': 'application/json' },
            payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : '{}',
          });
          found.push(...problems(`${r.method} ${url}`, res));
        }
      }
    }
    expect(found).toEqual([]);
  });

  /** Every unsafe API route, with each body, as each caller: the problems found. */
  async function probeBodies(payloads: readonly (string | undefined)[]): Promise<string[]> {
    const found: string[] = [];
    const unsafe = routes.filter(
      (r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.url.startsWith('/api/'),
    );
    for (const r of unsafe) {
      const url = fillParams(r.url, '1');
      for (const payload of payloads) {
        for (const caller of callers) {
          const res = await app.inject({
            method: r.method as 'POST',
            url,
            headers: { ...caller, 'content-type': 'application/json' },
            payload,
          });
          found.push(...problems(`${r.method} ${url} ${payload?.slice(0, 60) ?? '(empty)'}`, res));
        }
      }
    }
    return found;
  }

  it('answers malformed and wrongly typed bodies in our shape', async () => {
    const found = await probeBodies(badBodies);
    expect(found).toEqual([]);
  });

  for (const [kind, body] of Object.entries(deepBodies)) {
    it(`answers deeply nested bodies in our shape (${kind})`, async () => {
      const found = await probeBodies([body]);
      expect(found).toEqual([]);
    });
  }

  it('answers bad query strings in our shape', async () => {
    const found: string[] = [];
    const gets = routes.filter((r) => r.method === 'GET' && r.url.startsWith('/api/'));
    for (const r of gets) {
      const url = `${fillParams(r.url, '1')}?communityId=2147483648&personId=2147483648&limit=abc&offset=-5&page=99999999999999999999&cursor=%ZZ&q=${'x'.repeat(5000)}&search=%00&query=%00&email=%00&status=nope&sort=;drop`;
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      found.push(...problems(`GET ${url.slice(0, 120)}`, res));
    }
    expect(found).toEqual([]);
  });

  it('refuses a huge body with payload_too_large', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/code',
      headers: { 'content-type': 'application/json' },
      payload: `{"email":"${'a'.repeat(2 * 1024 * 1024)}"}`,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('sets the security headers on answers, errors included; HSTS only on https', async () => {
    const answers = [
      await app.inject({ url: '/api/site', headers: { cookie } }),
      await app.inject({ url: '/api/nope' }),
      await app.inject({ url: '/api/me' }),
      await app.inject({
        method: 'POST',
        url: '/api/auth/code',
        headers: { 'content-type': 'application/json' },
        payload: '{"a":',
      }),
      await app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { 'sec-fetch-site': 'cross-site' },
        payload: {},
      }),
    ];
    for (const res of answers) {
      expect(res.headers['content-security-policy'], res.body).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    const https = await build(
      { ...t().ctx, config: { ...t().ctx.config, publicUrl: 'https://convene.example' } },
      { webRoot: null },
    );
    try {
      const res = await https.inject({ url: '/api/nope' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    } finally {
      await https.close();
    }
  });

  it('answers odd content types, cookies and authorization headers in our shape', async () => {
    const found: string[] = [];
    const unsafe = routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && r.url.startsWith('/api/'));
    const contentTypes = [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      'application/xml',
      'application/json, text/plain',
    ];
    for (const r of unsafe) {
      const url = fillParams(r.url, '1');
      for (const type of contentTypes) {
        const res = await app.inject({
          method: r.method as 'POST',
          url,
          headers: { cookie, 'content-type': type },
          payload: '--x\r\nfoo\r\n--x--',
        });
        found.push(...problems(`${r.method} ${url} as ${type}`, res));
      }
    }
    for (const headers of [
      { cookie: 'convene_session=%E0%A4%A' },
      { cookie: `convene_session=${'a'.repeat(5000)}` },
      { authorization: 'Bearer' },
      { authorization: `Bearer cvn_${'x'.repeat(5000)}` },
      { authorization: 'Basic dXNlcjpwYXNz' },
      { 'idempotency-key': '' },
    ]) {
      for (const url of ['/api/me', '/api/communities'])
        found.push(
          ...problems(`GET ${url} ${JSON.stringify(headers).slice(0, 60)}`, await app.inject({ url, headers })),
        );
      const res = await app.inject({
        method: 'POST',
        url: '/api/communities/1/invitations',
        headers: { ...headers, 'idempotency-key': 'é' },
        payload: {},
      });
      found.push(...problems(`POST invitations ${JSON.stringify(headers).slice(0, 60)}`, res));
    }
    expect(found).toEqual([]);
  });

  it('numbers beyond an integer column in bodies, queries, cursors and search terms never answer 500', async () => {
    const { ctx } = t();
    const c = await buildCommunity(ctx);
    const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const found: string[] = [];
    for (const r of [
      {
        method: 'POST',
        url: `/api/communities/${c.id}/invitations`,
        payload: { personIds: [2147483648], sendEmail: false },
      },
      { method: 'GET', url: '/api/people/search?q=ab&communityId=2147483648' },
      { method: 'GET', url: `/api/communities/${c.id}/members?cursor=${cursor(['a', 99999999999])}` },
      { method: 'GET', url: `/api/admin/people?status=active&cursor=${cursor(['a', 99999999999])}` },
      { method: 'GET', url: '/api/admin/people?status=active&q=99999999999' },
      { method: 'GET', url: '/api/admin/communities?q=99999999999' },
      { method: 'GET', url: '/api/admin/emails?cursor=99999999999' },
      { method: 'GET', url: '/api/admin/audit?cursor=99999999999' },
      { method: 'GET', url: '/api/admin/data-jobs?cursor=99999999999' },
    ] as const) {
      const res = await app.inject({ ...r, headers: { cookie } });
      found.push(...problems(`${r.method} ${r.url}`, res));
    }
    expect(found).toEqual([]);
  });

  it('finds a person by an 11-digit Unique ID (longer than any Profile ID) on both databases', async () => {
    const person = await buildPerson(t().ctx, { uniqueId: '20261234567' });
    const res = await app.inject({ url: '/api/admin/people?status=active&q=20261234567', headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((p: { id: number }) => p.id)).toEqual([person.id]);
  });

  it('answers a multipart upload without a boundary, or cut short, with 400 (not 500)', async () => {
    const headers = (type: string) => ({ cookie, 'content-type': type });
    const part = (name: string, body: string, file = '') =>
      `--x\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file}"\r\nContent-Type: text/csv` : ''}\r\n\r\n${body}`;
    for (const [type, payload] of [
      ['multipart/form-data', '--x\r\nfoo\r\n--x--'],
      ['multipart/form-data; boundary=', '--x\r\nfoo\r\n--x--'],
      [
        'multipart/form-data; boundary=x',
        `${part('type', 'preverify')}\r\n${part('file', 'Unique ID,First Name\r\n1,a\r\n', 'a.csv')}`,
      ],
      ['multipart/form-data; boundary=x', part('type', 'prever')],
    ]) {
      const res = await app.inject({ method: 'POST', url: '/api/admin/data-jobs', headers: headers(type), payload });
      expect(res.statusCode, `${type} ${res.body}`).toBe(400);
      expect(res.json().error.code).toBe('bad_request');
    }
  });

  it('answers malformed URLs in our shape', async () => {
    const found: string[] = [];
    for (const url of [
      '/api/communities/%E0%A4%A',
      '/api/%',
      '/api/communities/1?%',
      '/api/landing/..%2f..%2fetc%2fpasswd',
      '/api/admin/people?status[]=active',
      '/api/admin/people?status=active&status=pending',
      '/api/communities/1/members?state=requested&state=joined',
      '/api/landing/%E0%A4%A/code',
      `/api/landing/${'a'.repeat(300)}`,
      `/api/communities/${'1'.repeat(300)}/members`,
    ]) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await app.inject({
          method,
          url,
          headers: { cookie, 'content-type': 'application/json' },
          payload: method === 'POST' ? '{}' : undefined,
        });
        found.push(...problems(`${method} ${url.slice(0, 80)}`, res));
        if (res.headers['x-content-type-options'] !== 'nosniff')
          found.push(`no nosniff: ${method} ${url.slice(0, 80)}`);
        if (res.statusCode >= 400 && res.body.includes(url.slice(5, 40)))
          found.push(`URL echoed: ${method} ${url.slice(0, 80)}`);
      }
    }
    expect(found).toEqual([]);
  });
});
