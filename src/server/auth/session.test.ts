import { expect, it } from 'vitest';
import { limits } from '../../shared/limits.js';
import { apiToken, buildAdmin, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { Browser, latestSignInEmail, nextEmail } from './testing.js';

const DAY = 24 * 60 * 60 * 1000;

describeEachDb('sessions, sign-out, me and API tokens', (t) => {
  const app = useTestApp(t);
  const me = (headers: Record<string, string>) => app().inject({ url: '/api/me', headers });

  async function signedIn(email: string): Promise<Browser> {
    const b = new Browser(app);
    await b.post('/api/auth/code', { email });
    const { code } = (await latestSignInEmail(t().ctx, email))!;
    expect((await b.post('/api/auth/verify', { email, code })).statusCode).toBe(200);
    return b;
  }

  it('answers 401 unauthenticated to /api/me when signed out', async () => {
    const res = await app().inject('/api/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });

  it('answers /api/session with me null when signed out, and the person when signed in', async () => {
    const out = await app().inject('/api/session');
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ me: null });
    const person = await buildPerson(t().ctx, { email: nextEmail(), firstName: 'Ada' });
    const cookie = await sessionCookie(t().ctx, person.id);
    const signedIn = await app().inject({ url: '/api/session', headers: { cookie } });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().me).toEqual((await me({ cookie })).json());
    expect(signedIn.json().me).toMatchObject({ id: person.id, firstName: 'Ada' });
  });

  it('gives me with the member type name', async () => {
    const now = t().clock.now();
    const type = await t()
      .ctx.db.insertInto('member_type')
      .values({ name: 'Alumni', name_key: `alumni-${now}`, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const person = await buildPerson(t().ctx, {
      email: nextEmail(),
      firstName: 'Grace',
      lastName: 'Hopper',
      memberTypeId: type.id,
    });
    const res = await me({ cookie: await sessionCookie(t().ctx, person.id) });
    expect(res.json()).toEqual({
      id: person.id,
      email: person.email,
      firstName: 'Grace',
      lastName: 'Hopper',
      status: 'active',
      isAdmin: false,
      memberType: 'Alumni',
    });
  });

  it('ends a session after 7 idle days, and keeps it while used', async () => {
    const b = await signedIn((await buildPerson(t().ctx, { email: nextEmail() })).email!);
    t().clock.advance(limits.sessionIdleMs - 60_000);
    expect((await b.get('/api/me')).statusCode).toBe(200);
    t().clock.advance(limits.sessionIdleMs - 60_000);
    expect((await b.get('/api/me')).statusCode).toBe(200);
    t().clock.advance(limits.sessionIdleMs);
    expect((await b.get('/api/me')).statusCode).toBe(401);
  });

  it('ends a session 30 days after sign-in however often it is used', async () => {
    const b = await signedIn((await buildPerson(t().ctx, { email: nextEmail() })).email!);
    for (let day = 6; day < 30; day += 6) {
      t().clock.advance(6 * DAY);
      expect((await b.get('/api/me')).statusCode).toBe(200);
    }
    t().clock.advance(limits.sessionAbsoluteMs - 24 * DAY);
    expect((await b.get('/api/me')).statusCode).toBe(401);
  });

  it('ends the session on sign-out and clears the cookie', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const b = await signedIn(person.email!);
    const cookie = b.cookie;
    const res = await b.post('/api/auth/logout', {});
    expect(res.statusCode).toBe(200);
    const cleared = res.cookies.find((c) => c.name === 'convene_session');
    expect(cleared?.value).toBe('');
    expect((await me({ cookie })).statusCode).toBe(401);
    expect(await t().ctx.db.selectFrom('session').select('id').where('person_id', '=', person.id).execute()).toEqual(
      [],
    );
    // signing out twice is harmless
    expect((await app().inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(200);
  });

  it('ends the session when the person is deactivated', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const b = await signedIn(person.email!);
    await t().ctx.db.updateTable('person').set({ status: 'inactive' }).where('id', '=', person.id).execute();
    expect((await b.get('/api/me')).statusCode).toBe(401);
  });

  it('replaces the session a browser had when it signs in again', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const b = await signedIn(person.email!);
    const old = b.cookie;
    t().clock.advance(limits.codeSendMinIntervalMs);
    await b.post('/api/auth/code', { email: person.email });
    const { code } = (await latestSignInEmail(t().ctx, person.email!))!;
    expect((await b.post('/api/auth/verify', { email: person.email, code })).statusCode).toBe(200);
    expect((await me({ cookie: old.split('; ').find((c) => c.startsWith('convene_session='))! })).statusCode).toBe(401);
    expect((await b.get('/api/me')).statusCode).toBe(200);
  });

  it('accepts an admin bearer token; refuses it when revoked or when the person is no longer an admin', async () => {
    const admin = await buildAdmin(t().ctx, { email: nextEmail('admin') });
    const token = await apiToken(t().ctx, admin.id);
    const ok = await me({ authorization: `Bearer ${token}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: admin.id, isAdmin: true });
    // unsafe requests with a bearer token need no CSRF headers
    expect(
      (
        await app().inject({
          method: 'POST',
          url: '/api/auth/logout',
          headers: { authorization: `Bearer ${token}`, origin: 'https://elsewhere.example' },
        })
      ).statusCode,
    ).toBe(200);
    expect((await me({ authorization: `Bearer ${token}` })).statusCode).toBe(200);

    await t()
      .ctx.db.updateTable('api_token')
      .set({ revoked_at: t().clock.now() })
      .where('person_id', '=', admin.id)
      .execute();
    const revoked = await me({ authorization: `Bearer ${token}` });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('api_token_revoked');

    const other = await buildAdmin(t().ctx, { email: nextEmail('admin') });
    const otherToken = await apiToken(t().ctx, other.id);
    await t().ctx.db.updateTable('person').set({ is_admin: 0 }).where('id', '=', other.id).execute();
    expect((await me({ authorization: `Bearer ${otherToken}` })).statusCode).toBe(401);
  });

  it('makes no API token for a person who is not an active admin', async () => {
    const member = await buildPerson(t().ctx, { email: nextEmail() });
    await expect(apiToken(t().ctx, member.id)).rejects.toMatchObject({ code: 'forbidden' });
    const row = await t()
      .ctx.db.selectFrom('api_token')
      .select('id')
      .where('person_id', '=', member.id)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });
});

describeEachDb(
  'cookies on https',
  (t) => {
    const app = useTestApp(t);

    it('uses Secure and the __Host- prefix for the attempt and session cookies', async () => {
      const person = await buildPerson(t().ctx, { email: nextEmail() });
      const asked = await app().inject({
        method: 'POST',
        url: '/api/auth/code',
        payload: { email: person.email },
        remoteAddress: '10.9.9.9',
      });
      const attempt = asked.cookies.find((c) => c.name === '__Host-convene_attempt');
      expect(attempt).toMatchObject({ secure: true, httpOnly: true, path: '/', sameSite: 'Lax' });
      const { code, link } = (await latestSignInEmail(t().ctx, person.email!))!;
      expect(link.startsWith('https://convene.example.edu/auth/link/')).toBe(true);
      const res = await app().inject({
        method: 'POST',
        url: '/api/auth/verify',
        payload: { email: person.email, code },
        headers: { cookie: `__Host-convene_attempt=${attempt!.value}` },
      });
      expect(res.statusCode).toBe(200);
      const session = res.cookies.find((c) => c.name === '__Host-convene_session');
      expect(session).toMatchObject({ secure: true, httpOnly: true, path: '/', sameSite: 'Lax' });
      expect(session).not.toHaveProperty('domain');
      const me = await app().inject({
        url: '/api/me',
        headers: { cookie: `__Host-convene_session=${session!.value}` },
      });
      expect(me.statusCode).toBe(200);
    });
  },
  { publicUrl: 'https://convene.example.edu' },
);
