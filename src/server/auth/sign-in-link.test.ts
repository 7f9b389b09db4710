import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { limits } from '../../shared/limits.js';
import { build } from '../app.js';
import { buildPerson } from '../testing/factories.js';
import { fromOwnPages } from '../testing/test-app.js';
import { describeEachDb, siteOrigin } from '../testing/test-db.js';
import { addSiteAdmin, adminBootstrapLinkTtlMs } from './admin-bootstrap.service.js';
import { Browser, latestSignInEmail, linkToken, nextEmail, wrongCode } from './testing.js';

describeEachDb('sign-in links', (t) => {
  // The real app with a web root, so GET /auth/link/:token is answered as a browser would see it.
  let instance: FastifyInstance | undefined;
  let webRoot = '';
  beforeAll(async () => {
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-web-'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Convene</title><div id="root"></div>');
    instance = await build(t().ctx, { webRoot });
    await instance.ready();
    fromOwnPages(instance, siteOrigin);
  });
  afterAll(async () => {
    await instance?.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });
  const app = () => instance!;
  const errorOf = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;

  async function asked(email: string, b = new Browser(app)): Promise<{ b: Browser; token: string; code: string }> {
    expect((await b.post('/api/auth/code', { email })).statusCode).toBe(200);
    const mail = (await latestSignInEmail(t().ctx, email))!;
    return { b, token: linkToken(mail.link), code: mail.code };
  }

  it('GET and HEAD of the link serve the Continue page and sign nobody in; POST signs in', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const { b, token } = await asked(person.email!);
    for (const method of ['GET', 'HEAD', 'GET'] as const) {
      const page = await b.get(`/auth/link/${token}`, method);
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.cookies).toEqual([]);
    }
    expect((await b.get('/api/me')).statusCode).toBe(401);
    const used = await t()
      .ctx.db.selectFrom('sign_in_code')
      .select('used_at')
      .where('email', '=', person.email!)
      .executeTakeFirstOrThrow();
    expect(used.used_at).toBeNull();

    const res = await b.post('/api/auth/link', { token });
    expect(res.statusCode).toBe(200);
    expect(res.json().me.id).toBe(person.id);
    expect((await b.get('/api/me')).json().id).toBe(person.id);
  });

  it('is single use', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const { b, token } = await asked(person.email!);
    const attempt = b.jar.get('convene_attempt')!;
    expect((await b.post('/api/auth/link', { token })).statusCode).toBe(200);
    b.jar.set('convene_attempt', attempt);
    const again = await b.post('/api/auth/link', { token });
    expect(again.statusCode).toBe(400);
    expect(errorOf(again)).toBe('link_invalid');
  });

  it('only completes in the browser that asked', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const { b, token } = await asked(person.email!);
    const other = await new Browser(app).post('/api/auth/link', { token });
    expect(other.statusCode).toBe(400);
    expect(errorOf(other)).toBe('sign_in_other_browser');
    expect((await b.post('/api/auth/link', { token })).statusCode).toBe(200);
  });

  it('expires with its code, and only the newest link works', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const { b, token: older } = await asked(person.email!);
    t().clock.advance(limits.codeSendMinIntervalMs);
    const { token: newer } = await asked(person.email!, b);
    expect(errorOf(await b.post('/api/auth/link', { token: older }))).toBe('link_invalid');
    t().clock.advance(limits.signInCodeTtlMs);
    expect(errorOf(await b.post('/api/auth/link', { token: newer }))).toBe('code_expired');
  });

  it('dies with its code after 5 wrong codes', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const { b, token, code } = await asked(person.email!);
    for (let i = 0; i < limits.signInCodeMaxAttempts; i++)
      await b.post('/api/auth/verify', { email: person.email, code: wrongCode(code) });
    expect(errorOf(await b.post('/api/auth/link', { token }))).toBe('link_invalid');
  });

  it('follows the same status rules as codes', async () => {
    const pending = await buildPerson(t().ctx, { status: 'pending', email: nextEmail() });
    const p = await asked(pending.email!);
    expect(errorOf(await p.b.post('/api/auth/link', { token: p.token }))).toBe('account_pending');
    const invited = await buildPerson(t().ctx, { status: 'invited', email: nextEmail() });
    const i = await asked(invited.email!);
    const res = await i.b.post('/api/auth/link', { token: i.token });
    expect(res.json().me.status).toBe('active');
  });

  it('refuses unknown tokens', async () => {
    const res = await new Browser(app).post('/api/auth/link', { token: 'x'.repeat(43) });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toBe('link_invalid');
  });

  it('admin bootstrap link: any browser, once, for 24 hours, newest only', async () => {
    const email = nextEmail('first-admin');
    const first = await addSiteAdmin(t().ctx, email);
    expect(first.created).toBe(true);
    expect(first.person).toMatchObject({ status: 'active', is_admin: 1 });
    expect(first.link).toMatch(/^http:\/\/localhost:3000\/auth\/link\/[\w-]{43}$/);
    const second = await addSiteAdmin(t().ctx, email.toUpperCase());
    expect(second.created).toBe(false);
    expect(second.person.id).toBe(first.person.id);
    expect(errorOf(await new Browser(app).post('/api/auth/link', { token: linkToken(first.link) }))).toBe(
      'link_invalid',
    );

    // GET does not use it
    const b = new Browser(app);
    expect((await b.get(`/auth/link/${linkToken(second.link)}`)).statusCode).toBe(200);
    t().clock.advance(adminBootstrapLinkTtlMs - 1);
    const res = await b.post('/api/auth/link', { token: linkToken(second.link) });
    expect(res.statusCode).toBe(200);
    expect(res.json().me).toMatchObject({ email, isAdmin: true, status: 'active' });
    expect(errorOf(await new Browser(app).post('/api/auth/link', { token: linkToken(second.link) }))).toBe(
      'link_invalid',
    );

    const third = await addSiteAdmin(t().ctx, email);
    t().clock.advance(adminBootstrapLinkTtlMs);
    expect(errorOf(await new Browser(app).post('/api/auth/link', { token: linkToken(third.link) }))).toBe(
      'code_expired',
    );
  });

  it('admin add promotes an existing person to an active admin; its link is no code', async () => {
    const person = await buildPerson(t().ctx, { status: 'pre_verified', email: nextEmail() });
    const added = await addSiteAdmin(t().ctx, person.email!);
    expect(added.person).toMatchObject({ id: person.id, status: 'active', is_admin: 1 });
    // a bootstrap row never answers code entry, and a normal code request does not replace it
    const b = new Browser(app);
    await b.post('/api/auth/code', { email: person.email });
    const res = await new Browser(app).post('/api/auth/link', { token: linkToken(added.link) });
    expect(res.statusCode).toBe(200);
  });
});
