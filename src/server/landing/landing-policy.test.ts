import { expect, it } from 'vitest';
import { limits } from '../../shared/limits.js';
import type { LandingPolicy } from '../../shared/enums.js';
import { codeRequestsPerIpPerHour } from '../auth/sign-in-code.service.js';
import { approvePersonInTrx } from '../people/person-status.service.js';
import { buildCommunity, buildPerson } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { Browser, countCodeEmails, lastCodeEmail, membershipOf, personByEmail } from './landing.test-helpers.js';

let ipSeq = 1;
const nextIp = () => `192.0.2.${ipSeq++ % 250}`;
let mailSeq = 0;
const freshEmail = (domain = 'example.test') => `policy${process.pid}x${Date.now().toString(36)}${mailSeq++}@${domain}`;

describeEachDb('landing policies and limits', (t) => {
  const app = useTestApp(t);

  async function communityWith(policy: LandingPolicy, domains = '') {
    const c = await buildCommunity(t().ctx, { landingEnabled: true });
    await t()
      .ctx.db.updateTable('community')
      .set({ landing_policy: policy, landing_domains: domains })
      .where('id', '=', c.id)
      .execute();
    return c;
  }

  async function visit(slug: string, email: string, names = { firstName: 'New', lastName: 'Comer' }) {
    const b = new Browser(app, nextIp());
    expect((await b.request('POST', `/api/landing/${slug}/code`, { email })).statusCode).toBe(200);
    const { code } = await lastCodeEmail(t().ctx, email);
    const res = await b.request('POST', `/api/landing/${slug}/verify`, { email, code, ...names });
    return { res, b };
  }

  it('domains: admits addresses of the listed domains (and their subdomains) as members', async () => {
    const c = await communityWith('domains', 'uni.example,alumni.example');
    for (const email of [freshEmail('uni.example'), freshEmail('mail.alumni.example')]) {
      const { res, b } = await visit(c.slug, email);
      expect(res.json()).toMatchObject({ outcome: 'joined', signedIn: true, created: true });
      expect(b.signedIn).toBe(true);
      expect((await personByEmail(t().ctx, email))?.status).toBe('active');
    }
  });

  it('domains: anyone else lands in Pending with the join remembered, and approval applies it', async () => {
    const c = await communityWith('domains', 'uni.example');
    const email = freshEmail('elsewhere.example');
    const { res, b } = await visit(c.slug, email);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'pending_approval', signedIn: false, created: true });
    expect(b.signedIn).toBe(false);
    const person = await personByEmail(t().ctx, email);
    expect(person).toMatchObject({ status: 'pending', first_name: 'New', last_name: 'Comer' });
    expect(await membershipOf(t().ctx, c.id, person!.id)).toMatchObject({ state: 'requested', source: 'landing' });

    // a second visit while pending changes nothing
    t().clock.advance(limits.codeSendMinIntervalMs);
    const again = await visit(c.slug, email);
    expect(again.res.json().error.code).toBe('account_pending');

    const outcome = await t()
      .ctx.db.transaction()
      .execute((trx) => approvePersonInTrx(t().ctx, trx, null, person!.id));
    expect(outcome.ok).toBe(true);
    expect(await membershipOf(t().ctx, c.id, person!.id)).toMatchObject({ state: 'joined', source: 'landing' });
  });

  it('known: people the site knows join; strangers wait for approval', async () => {
    const c = await communityWith('known');
    const known = await buildPerson(t().ctx, { status: 'pre_verified' });
    const ok = await visit(c.slug, known.email!);
    expect(ok.res.json()).toMatchObject({ outcome: 'joined', signedIn: true, created: false });

    const stranger = freshEmail();
    const { res } = await visit(c.slug, stranger);
    expect(res.json()).toMatchObject({ outcome: 'pending_approval', signedIn: false });
    const person = await personByEmail(t().ctx, stranger);
    expect(person?.status).toBe('pending');
    expect(await membershipOf(t().ctx, c.id, person!.id)).toMatchObject({ state: 'requested' });
  });

  it('asks strangers for their names before creating them, whatever the policy', async () => {
    const c = await communityWith('known');
    const email = freshEmail();
    const { res } = await visit(c.slug, email, {} as { firstName: string; lastName: string });
    expect(res.json()).toMatchObject({ next: 'profile', fields: ['firstName', 'lastName'] });
    expect(await personByEmail(t().ctx, email)).toBeUndefined();
  });

  it('holds back repeated sends to one address and says so, the same way for every address', async () => {
    const c = await communityWith('anyone');
    const email = freshEmail();
    const b = new Browser(app, nextIp());
    const first = await b.request('POST', `/api/landing/${c.slug}/code`, { email });
    const second = await b.request('POST', `/api/landing/${c.slug}/code`, { email });
    expect(second.statusCode).toBe(first.statusCode);
    expect(first.json()).toMatchObject({ delivery: 'sent' });
    expect(second.json()).toMatchObject({ delivery: 'sent_earlier', resendAfterSeconds: 60 });
    const elsewhere = await new Browser(app, nextIp()).request('POST', `/api/landing/${c.slug}/code`, { email });
    expect(elsewhere.json()).toMatchObject({ delivery: 'sent_elsewhere', resendAfterSeconds: 60 });
    expect(await countCodeEmails(t().ctx, email)).toBe(1);
    for (let i = 0; i < limits.codeSendsPerHour + 2; i++) {
      t().clock.advance(limits.codeSendMinIntervalMs);
      const res = await b.request('POST', `/api/landing/${c.slug}/code`, { email });
      expect(res.statusCode).toBe(200);
      expect(res.json().delivery).toBe(i < limits.codeSendsPerHour - 1 ? 'sent' : 'hourly_limit');
    }
    expect(await countCodeEmails(t().ctx, email)).toBe(limits.codeSendsPerHour);
  });

  it('caps code requests per IP address (stored in the database), the same for every address', async () => {
    const c = await communityWith('anyone');
    const ip = '203.0.113.250';
    for (let i = 0; i < codeRequestsPerIpPerHour; i++) {
      const res = await new Browser(app, ip).request('POST', `/api/landing/${c.slug}/code`, { email: freshEmail() });
      expect(res.statusCode).toBe(200);
    }
    const known = await buildPerson(t().ctx);
    for (const email of [freshEmail(), known.email!]) {
      const res = await new Browser(app, ip).request('POST', `/api/landing/${c.slug}/code`, { email });
      expect(res.statusCode).toBe(429);
      expect(res.json().error.code).toBe('rate_limited');
    }
    // the refused requests roll back with their transaction: the stored count stays at the cap
    const counter = await t()
      .ctx.db.selectFrom('rate_limit')
      .select('count')
      .where('key', 'like', 'sign_in_code:ip:%')
      .orderBy('count', 'desc')
      .limit(1)
      .executeTakeFirst();
    expect(counter?.count).toBe(codeRequestsPerIpPerHour);
    // another address still gets through
    expect(
      (await new Browser(app, '203.0.113.251').request('POST', `/api/landing/${c.slug}/code`, { email: freshEmail() }))
        .statusCode,
    ).toBe(200);
  });

  it('refuses an address that is not one, without sending anything', async () => {
    const c = await communityWith('anyone');
    const res = await new Browser(app, nextIp()).request('POST', `/api/landing/${c.slug}/code`, {
      email: 'not-an-email',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
  });
});
