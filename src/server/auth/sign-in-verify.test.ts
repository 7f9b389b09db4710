import { expect, it } from 'vitest';
import { limits } from '../../shared/limits.js';
import { buildPerson } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { Browser, latestSignInEmail, linkToken, nextEmail, wrongCode } from './testing.js';

describeEachDb('POST /api/auth/verify', (t) => {
  const app = useTestApp(t);

  /** A browser that asked for a code for `email`, and the code it got. */
  async function asked(email: string, b = new Browser(app)): Promise<{ b: Browser; code: string }> {
    expect((await b.post('/api/auth/code', { email })).statusCode).toBe(200);
    const mail = await latestSignInEmail(t().ctx, email);
    if (!mail) throw new Error('no email queued');
    return { b, code: mail.code };
  }
  const errorOf = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;

  it('signs an active person in: session cookie (HttpOnly, Lax), me, attempt cookie cleared', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail(), firstName: 'Ada', lastName: 'Lovelace' });
    const { b, code } = await asked(person.email!.toUpperCase());
    const res = await b.post('/api/auth/verify', { email: person.email, code });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      me: {
        id: person.id,
        email: person.email,
        firstName: 'Ada',
        lastName: 'Lovelace',
        status: 'active',
        isAdmin: false,
        memberType: null,
      },
    });
    const session = res.cookies.find((c) => c.name === 'convene_session');
    expect(session).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: limits.sessionAbsoluteMs / 1000,
    });
    expect(session?.secure).toBeFalsy();
    expect(b.jar.has('convene_attempt')).toBe(false);
    const me = await b.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe(person.email);
    const row = await t()
      .ctx.db.selectFrom('person')
      .select('last_sign_in_at')
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(row.last_sign_in_at).toBe(t().clock.now());
  });

  it('does not accept a code from another browser after it was used', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const { b, code } = await asked(person.email!);
    expect((await b.post('/api/auth/verify', { email: person.email, code })).statusCode).toBe(200);
    const again = await new Browser(app).post('/api/auth/verify', { email: person.email, code });
    expect(again.statusCode).toBe(400);
    expect(errorOf(again)).toBe('sign_in_other_browser');
  });

  it('refuses a used code in the same browser', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const { b, code } = await asked(person.email!);
    const attempt = b.jar.get('convene_attempt')!;
    expect((await b.post('/api/auth/verify', { email: person.email, code })).statusCode).toBe(200);
    b.jar.set('convene_attempt', attempt);
    const res = await b.post('/api/auth/verify', { email: person.email, code });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toBe('code_invalid');
  });

  it('expires a code after 10 minutes (manual clock)', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const { b, code } = await asked(person.email!);
    t().clock.advance(limits.signInCodeTtlMs);
    const res = await b.post('/api/auth/verify', { email: person.email, code });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toBe('code_expired');
  });

  it('works just before expiry', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const { b, code } = await asked(person.email!);
    t().clock.advance(limits.signInCodeTtlMs - 1);
    expect((await b.post('/api/auth/verify', { email: person.email, code })).statusCode).toBe(200);
  });

  it('accepts only the newest code', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const { b, code: older } = await asked(person.email!);
    t().clock.advance(limits.codeSendMinIntervalMs);
    const { code: newer } = await asked(person.email!, b);
    if (older !== newer) {
      const res = await b.post('/api/auth/verify', { email: person.email, code: older });
      expect(errorOf(res)).toBe('code_invalid');
    }
    expect((await b.post('/api/auth/verify', { email: person.email, code: newer })).statusCode).toBe(200);
  });

  it('only completes in the browser that asked', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const { b, code } = await asked(person.email!);
    const other = new Browser(app);
    const noCookie = await other.post('/api/auth/verify', { email: person.email, code });
    expect(noCookie.statusCode).toBe(400);
    expect(errorOf(noCookie)).toBe('sign_in_other_browser');
    // a browser with its own attempt cookie (it asked for another address) is not this one
    await other.post('/api/auth/code', { email: nextEmail() });
    expect(errorOf(await other.post('/api/auth/verify', { email: person.email, code }))).toBe('sign_in_other_browser');
    expect(noCookie.cookies.find((c) => c.name === 'convene_session')).toBeUndefined();
    // and the tries from elsewhere did not cost the asking browser anything
    expect((await b.post('/api/auth/verify', { email: person.email, code })).statusCode).toBe(200);
  });

  it('kills a code after 5 wrong tries, even for the right code afterwards', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const { b, code } = await asked(person.email!);
    const answers: (string | undefined)[] = [];
    for (let i = 0; i < limits.signInCodeMaxAttempts; i++)
      answers.push(errorOf(await b.post('/api/auth/verify', { email: person.email, code: wrongCode(code) })));
    expect(answers).toEqual(['code_invalid', 'code_invalid', 'code_invalid', 'code_invalid', 'code_attempts_exceeded']);
    const right = await b.post('/api/auth/verify', { email: person.email, code });
    expect(right.statusCode).toBe(429);
    expect(errorOf(right)).toBe('code_attempts_exceeded');
    // a new code works again
    t().clock.advance(limits.codeSendMinIntervalMs);
    const { code: fresh } = await asked(person.email!, b);
    expect((await b.post('/api/auth/verify', { email: person.email, code: fresh })).statusCode).toBe(200);
  });

  it('blocks code entry for the address after 20 wrong tries in a day, kept in the database', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const b = new Browser(app);
    let code: string;
    let last: string | undefined;
    for (let round = 0; round < limits.signInDailyFailures / limits.signInCodeMaxAttempts; round++) {
      if (round > 0) t().clock.advance(limits.codeSendMinIntervalMs * 15); // stays under 5 sends per hour
      ({ code } = await asked(person.email!, b));
      for (let i = 0; i < limits.signInCodeMaxAttempts; i++)
        last = errorOf(await b.post('/api/auth/verify', { email: person.email, code: wrongCode(code) }));
    }
    expect(last).toBe('daily_attempts_exceeded');
    t().clock.advance(limits.codeSendMinIntervalMs * 15);
    ({ code } = await asked(person.email!, b));
    const blocked = await b.post('/api/auth/verify', { email: person.email, code });
    expect(blocked.statusCode).toBe(429);
    expect(errorOf(blocked)).toBe('daily_attempts_exceeded');
    // the link of that same email still works: the daily limit blocks code entry only
    const { link } = (await latestSignInEmail(t().ctx, person.email!))!;
    const attempt = b.jar.get('convene_attempt')!;
    expect((await b.post('/api/auth/link', { token: linkToken(link) })).statusCode).toBe(200);
    b.jar.set('convene_attempt', attempt);
    // a day later the address can sign in again
    t().clock.advance(24 * 60 * 60 * 1000);
    ({ code } = await asked(person.email!, b));
    expect((await b.post('/api/auth/verify', { email: person.email, code })).statusCode).toBe(200);
  });

  it('activates pre-verified and invited people and signs them in', async () => {
    for (const status of ['pre_verified', 'invited'] as const) {
      const person = await buildPerson(t().ctx, { status, email: nextEmail(status) });
      const { b, code } = await asked(person.email!);
      const res = await b.post('/api/auth/verify', { email: person.email, code });
      expect(res.statusCode).toBe(200);
      expect(res.json().me.status).toBe('active');
      const row = await t()
        .ctx.db.selectFrom('person')
        .selectAll()
        .where('id', '=', person.id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('active');
      expect(row.activated_at).toBe(t().clock.now());
    }
  });

  it('refuses pending and inactive people without a session', async () => {
    for (const [status, error] of [
      ['pending', 'account_pending'],
      ['inactive', 'account_inactive'],
    ] as const) {
      const person = await buildPerson(t().ctx, { status, email: nextEmail(status) });
      const { b, code } = await asked(person.email!);
      const res = await b.post('/api/auth/verify', { email: person.email, code });
      expect(res.statusCode).toBe(403);
      expect(errorOf(res)).toBe(error);
      expect(res.cookies.find((c) => c.name === 'convene_session')).toBeUndefined();
      expect((await b.get('/api/me')).statusCode).toBe(401);
      const row = await t()
        .ctx.db.selectFrom('person')
        .select('status')
        .where('id', '=', person.id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe(status);
    }
  });

  it('makes an unknown address a pending person when sign-up is open', async () => {
    const email = nextEmail('newcomer');
    const { b, code } = await asked(email);
    const res = await b.post('/api/auth/verify', { email, code });
    expect(res.statusCode).toBe(403);
    expect(errorOf(res)).toBe('account_pending');
    const row = await t().ctx.db.selectFrom('person').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', first_name: '', last_name: '', is_admin: 0 });
  });

  it('creates nobody when sign-up is closed', async () => {
    const now = t().clock.now();
    await t()
      .ctx.db.insertInto('site_setting')
      .values({ key: 'signup_open', value: 'false', updated_at: now })
      .execute();
    try {
      const email = nextEmail('closed');
      const { b, code } = await asked(email);
      const res = await b.post('/api/auth/verify', { email, code });
      expect(res.statusCode).toBe(403);
      expect(errorOf(res)).toBe('sign_up_closed');
      expect(
        await t().ctx.db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirst(),
      ).toBeUndefined();
      // known people still sign in
      const person = await buildPerson(t().ctx, { email: nextEmail() });
      const known = await asked(person.email!);
      expect((await known.b.post('/api/auth/verify', { email: person.email, code: known.code })).statusCode).toBe(200);
    } finally {
      await t().ctx.db.deleteFrom('site_setting').where('key', '=', 'signup_open').execute();
    }
  });

  it('answers sign_in_other_browser when no code was asked for this address', async () => {
    const b = new Browser(app);
    await b.post('/api/auth/code', { email: nextEmail() });
    const res = await b.post('/api/auth/verify', { email: nextEmail(), code: '123456' });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toBe('sign_in_other_browser');
  });

  it('lets one of two parallel verifications of a code win', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail() });
    const { b, code } = await asked(person.email!);
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        app().inject({
          method: 'POST',
          url: '/api/auth/verify',
          payload: { email: person.email, code },
          headers: { cookie: b.cookie },
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400, 400]);
    const sessions = await t().ctx.db.selectFrom('session').select('id').where('person_id', '=', person.id).execute();
    expect(sessions).toHaveLength(1);
  });
});
