import { expect, it } from 'vitest';
import { limits } from '../../shared/limits.js';
import { buildPerson } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { codeRequestsPerIpPerHour } from './sign-in-code.service.js';
import { Browser, countSignInEmails, latestSignInEmail, nextEmail } from './testing.js';

describeEachDb('POST /api/auth/code', (t) => {
  const app = useTestApp(t);
  const browser = () => new Browser(app);

  it('queues an email with a 6-digit code and a link built from PUBLIC_URL, and sets the attempt cookie', async () => {
    const email = nextEmail();
    const b = browser();
    const res = await b.post('/api/auth/code', { email: `  ${email.toUpperCase()} ` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, delivery: 'sent', expiresInSeconds: 600, resendAfterSeconds: 60 });
    const attempt = res.cookies.find((c) => c.name === 'convene_attempt');
    expect(attempt).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(attempt?.value).toMatch(/^[\w-]{22,}$/);

    const mail = await latestSignInEmail(t().ctx, email);
    expect(mail?.code).toMatch(/^\d{6}$/);
    expect(mail?.link).toMatch(/^http:\/\/localhost:3000\/auth\/link\/[\w-]{43}$/);
    expect(mail?.expiresAt).toBe(t().clock.now() + limits.signInCodeTtlMs);

    const row = await t()
      .ctx.db.selectFrom('sign_in_code')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    // stored as HMACs only
    expect(row.code_hash).not.toContain(mail?.code);
    expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.attempt_hash).not.toBe(attempt?.value);
    expect(row.expires_at).toBe(t().clock.now() + limits.signInCodeTtlMs);
  });

  it('answers the same status, body and cookies for every kind of address', async () => {
    const kinds = ['active', 'pending', 'pre_verified', 'invited', 'inactive'] as const;
    const emails: string[] = [nextEmail('unknown')];
    for (const status of kinds) emails.push((await buildPerson(t().ctx, { status, email: nextEmail(status) })).email!);
    const admin = await buildPerson(t().ctx, { status: 'active', isAdmin: true, email: nextEmail('admin') });
    emails.push(admin.email!);

    const answers = [];
    for (const email of emails) {
      const res = await browser().post('/api/auth/code', { email });
      answers.push({
        status: res.statusCode,
        body: res.body,
        type: res.headers['content-type'],
        cookies: res.cookies.map((c) => `${c.name};${c.path};${c.httpOnly};${c.sameSite};${c.maxAge}`).sort(),
      });
    }
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0].status).toBe(200);
    // every address gets the email: an unknown one may be signing up
    for (const email of emails) expect(await countSignInEmails(t().ctx, email)).toBe(1);
  });

  it('holds back sends within 60 s and over 5 an hour, and says which code works where and when to ask again', async () => {
    const email = (await buildPerson(t().ctx, { status: 'active', email: nextEmail() })).email!;
    const b = browser();
    const first = await b.post('/api/auth/code', { email });
    expect(first.json()).toMatchObject({ delivery: 'sent', resendAfterSeconds: 60 });
    const firstCode = (await latestSignInEmail(t().ctx, email))?.code;
    t().clock.advance(20_000);
    const second = await b.post('/api/auth/code', { email });
    expect(second.statusCode).toBe(200);
    // the same browser keeps its attempt token, so the code already sent still works here
    expect(second.json()).toMatchObject({ delivery: 'sent_earlier', resendAfterSeconds: 40 });
    expect(second.cookies[0].value).toBe(first.cookies[0].value);
    expect(await countSignInEmails(t().ctx, email)).toBe(1);
    expect((await latestSignInEmail(t().ctx, email))?.code).toBe(firstCode);

    // another browser is told that the code went to the first one, and when it may ask for its own
    const other = browser();
    t().clock.advance(15_000);
    const elsewhere = await other.post('/api/auth/code', { email });
    expect(elsewhere.json()).toMatchObject({ delivery: 'sent_elsewhere', resendAfterSeconds: 25 });
    expect(await countSignInEmails(t().ctx, email)).toBe(1);
    t().clock.advance(25_000);
    expect((await other.post('/api/auth/code', { email })).json()).toMatchObject({ delivery: 'sent' });
    expect(await countSignInEmails(t().ctx, email)).toBe(2);
    const secondCode = (await latestSignInEmail(t().ctx, email))?.code;
    expect((await other.post('/api/auth/verify', { email, code: secondCode })).statusCode).toBe(200);

    for (let i = 3; i <= limits.codeSendsPerHour; i++) {
      t().clock.advance(limits.codeSendMinIntervalMs);
      await b.post('/api/auth/code', { email });
      expect(await countSignInEmails(t().ctx, email)).toBe(i);
    }
    t().clock.advance(limits.codeSendMinIntervalMs);
    const over = await b.post('/api/auth/code', { email });
    expect(over.statusCode).toBe(200);
    // the first of the hour's five was sent 5 minutes ago
    expect(over.json()).toMatchObject({ delivery: 'hourly_limit', resendAfterSeconds: 55 * 60 });
    expect(await countSignInEmails(t().ctx, email)).toBe(limits.codeSendsPerHour);

    t().clock.advance(55 * 60 * 1000);
    expect((await b.post('/api/auth/code', { email })).json()).toMatchObject({ delivery: 'sent' });
    expect(await countSignInEmails(t().ctx, email)).toBe(limits.codeSendsPerHour + 1);
  });

  it('answers a held-back request alike for known and unknown addresses', async () => {
    const known = (await buildPerson(t().ctx, { status: 'active', email: nextEmail('known') })).email!;
    const unknown = nextEmail('unknown');
    const answers = [];
    for (const email of [known, unknown]) {
      await browser().post('/api/auth/code', { email });
      answers.push((await browser().post('/api/auth/code', { email })).body);
    }
    expect(answers[0]).toBe(answers[1]);
    expect(JSON.parse(answers[0])).toMatchObject({ delivery: 'sent_elsewhere' });
  });

  it('caps requests per IP address with 429 rate_limited', async () => {
    const b = browser();
    for (let i = 0; i < codeRequestsPerIpPerHour; i++) {
      expect((await b.post('/api/auth/code', { email: nextEmail() })).statusCode).toBe(200);
    }
    const res = await b.post('/api/auth/code', { email: nextEmail() });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('rate_limited');
    // another address is not affected
    expect((await browser().post('/api/auth/code', { email: nextEmail() })).statusCode).toBe(200);
    // the window is an hour
    t().clock.advance(60 * 60 * 1000);
    expect((await b.post('/api/auth/code', { email: nextEmail() })).statusCode).toBe(200);
  });

  it('refuses a string that is not an email address with 400 invalid_email and sends nothing', async () => {
    for (const email of ['not-an-email', 'a@', '', `${'x'.repeat(250)}@example.test`]) {
      const res = await browser().post('/api/auth/code', { email });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid_email');
    }
    const missing = await browser().post('/api/auth/code', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('validation_failed');
  });

  it('accepts JSON only: text/plain answers 415 unsupported_media_type', async () => {
    const res = await app().inject({
      method: 'POST',
      url: '/api/auth/code',
      payload: JSON.stringify({ email: nextEmail() }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });

  it('answers 50 parallel requests without errors and sends one email per address', async () => {
    const emails = Array.from({ length: 10 }, () => nextEmail('parallel'));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => browser().post('/api/auth/code', { email: emails[i % emails.length] })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    for (const email of emails) expect(await countSignInEmails(t().ctx, email)).toBe(1);
  });

  it('queues the row and the email together: a newer code replaces the older one for verification', async () => {
    const email = nextEmail();
    const b = browser();
    await b.post('/api/auth/code', { email });
    t().clock.advance(limits.codeSendMinIntervalMs);
    await b.post('/api/auth/code', { email });
    const rows = await t().ctx.db.selectFrom('sign_in_code').select('id').where('email', '=', email).execute();
    expect(rows).toHaveLength(2);
    expect(await countSignInEmails(t().ctx, email)).toBe(2);
  });
});
