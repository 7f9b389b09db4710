import { describe, expect, it } from 'vitest';
import { limits } from '../../shared/limits.js';
import type { CommunityRow } from '../db/schema.js';
import { addMembership, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { Browser, lastCodeEmail, membershipOf, personByEmail } from './landing.test-helpers.js';

let ipSeq = 1;
const nextIp = () => `198.51.100.${ipSeq++ % 250}`;
let mailSeq = 0;
const freshEmail = (domain = 'example.test') =>
  `visitor${process.pid}x${Date.now().toString(36)}${mailSeq++}@${domain}`;

describeEachDb('landing flow', (t) => {
  const app = useTestApp(t);
  const browser = () => new Browser(app, nextIp());

  async function landing(): Promise<CommunityRow> {
    return buildCommunity(t().ctx, { landingEnabled: true, privacy: 'public' });
  }

  async function askCode(b: Browser, slug: string, email: string) {
    const res = await b.request('POST', `/api/landing/${slug}/code`, { email });
    expect(res.statusCode).toBe(200);
    return lastCodeEmail(t().ctx, email);
  }

  it('answers every account state the same way when a code is asked for', async () => {
    const c = await landing();
    const emails = {
      unknown: freshEmail(),
      active: (await buildPerson(t().ctx, { status: 'active' })).email!,
      pending: (await buildPerson(t().ctx, { status: 'pending' })).email!,
      preVerified: (await buildPerson(t().ctx, { status: 'pre_verified' })).email!,
      inactive: (await buildPerson(t().ctx, { status: 'inactive' })).email!,
      invited: (await buildPerson(t().ctx, { status: 'invited', firstName: '', lastName: '' })).email!,
    };
    const shapes = [];
    for (const email of Object.values(emails)) {
      const res = await browser().request('POST', `/api/landing/${c.slug}/code`, { email });
      const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((v) => v.replace(/=[^;]*/, '=…'));
      shapes.push({ status: res.statusCode, body: res.body, setCookie });
    }
    expect(shapes[0].status).toBe(200);
    expect(shapes[0].setCookie).toHaveLength(1);
    for (const shape of shapes) expect(shape).toEqual(shapes[0]);
    // and every address got its code email
    for (const email of Object.values(emails)) expect((await lastCodeEmail(t().ctx, email)).code).toMatch(/^\d{6}$/);
  });

  it('signs in an active member and joins them exactly once; a second visit only signs in', async () => {
    const c = await landing();
    const person = await buildPerson(t().ctx);
    const b = browser();
    const { code } = await askCode(b, c.slug, person.email!);
    const res = await b.request('POST', `/api/landing/${c.slug}/verify`, { email: person.email, code });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'joined', signedIn: true, communityId: c.id, created: false });
    expect(b.signedIn).toBe(true);
    expect((await b.request('GET', '/api/me')).json().me ?? (await b.request('GET', '/api/me')).json()).toMatchObject({
      id: person.id,
    });
    expect(await membershipOf(t().ctx, c.id, person.id)).toMatchObject({
      state: 'joined',
      source: 'landing',
      role: 'member',
    });

    t().clock.advance(limits.codeSendMinIntervalMs);
    const again = browser();
    const second = await askCode(again, c.slug, person.email!);
    const res2 = await again.request('POST', `/api/landing/${c.slug}/verify`, {
      email: person.email,
      code: second.code,
    });
    expect(res2.json()).toMatchObject({ outcome: 'already_member', signedIn: true });
    const rows = await t()
      .ctx.db.selectFrom('membership')
      .selectAll()
      .where('community_id', '=', c.id)
      .where('person_id', '=', person.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps a leader a leader and joins an invited member', async () => {
    const c = await landing();
    const leader = await buildPerson(t().ctx);
    await addMembership(t().ctx, c.id, leader.id, 'joined', 'leader');
    const invitee = await buildPerson(t().ctx);
    await addMembership(t().ctx, c.id, invitee.id, 'invited');
    for (const p of [leader, invitee]) {
      const b = browser();
      const { code } = await askCode(b, c.slug, p.email!);
      await b.request('POST', `/api/landing/${c.slug}/verify`, { email: p.email, code });
    }
    expect(await membershipOf(t().ctx, c.id, leader.id)).toMatchObject({ state: 'joined', role: 'leader' });
    expect(await membershipOf(t().ctx, c.id, invitee.id)).toMatchObject({ state: 'joined', role: 'member' });
  });

  it('activates a pre-verified person, joins them, and leaves their other invitations open', async () => {
    const c = await landing();
    const other = await buildCommunity(t().ctx);
    const person = await buildPerson(t().ctx, { status: 'pre_verified', firstName: 'Pat', lastName: 'Lee' });
    await addMembership(t().ctx, other.id, person.id, 'invited');
    const b = browser();
    const { code } = await askCode(b, c.slug, person.email!);
    const res = await b.request('POST', `/api/landing/${c.slug}/verify`, { email: person.email, code });
    expect(res.json()).toMatchObject({ outcome: 'joined', signedIn: true, created: false });
    expect((await personByEmail(t().ctx, person.email!))?.status).toBe('active');
    expect(await membershipOf(t().ctx, c.id, person.id)).toMatchObject({ state: 'joined' });
    expect(await membershipOf(t().ctx, other.id, person.id)).toMatchObject({ state: 'invited' });
  });

  it("shows the new member in the page's member count at once, with the clock standing still", async () => {
    const c = await landing();
    const count = async () => (await app().inject(`/api/landing/${c.slug}`)).json().community.memberCount;
    const before = await count();
    const person = await buildPerson(t().ctx);
    const b = browser();
    const { code } = await askCode(b, c.slug, person.email!);
    const res = await b.request('POST', `/api/landing/${c.slug}/verify`, { email: person.email, code });
    expect(res.json()).toMatchObject({ outcome: 'joined' });
    expect(await count()).toBe(before + 1);
    // a join by another way (here the factory's) counts as soon as it is written
    await addMembership(t().ctx, c.id, (await buildPerson(t().ctx)).id, 'joined');
    expect(await count()).toBe(before + 2);
  });

  it('lets a new person skip the name, unless the page makes it required', async () => {
    const c = await landing();
    const email = freshEmail();
    const b = browser();
    const { code } = await askCode(b, c.slug, email);
    expect((await b.request('POST', `/api/landing/${c.slug}/verify`, { email, code })).json()).toMatchObject({
      next: 'profile',
      required: false,
    });
    const skipped = await b.request('POST', `/api/landing/${c.slug}/verify`, { email, code, skipProfile: true });
    expect(skipped.json()).toMatchObject({ outcome: 'joined', signedIn: true, created: true });
    expect(await personByEmail(t().ctx, email)).toMatchObject({ status: 'active', first_name: '', last_name: '' });

    const strict = await buildCommunity(t().ctx, { landingEnabled: true, privacy: 'public' });
    await t()
      .ctx.db.updateTable('community')
      .set({ landing_profile_required: 1 })
      .where('id', '=', strict.id)
      .execute();
    const other = freshEmail();
    const b2 = browser();
    const second = await askCode(b2, strict.slug, other);
    const refused = await b2.request('POST', `/api/landing/${strict.slug}/verify`, {
      email: other,
      code: second.code,
      skipProfile: true,
    });
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toEqual({
      next: 'profile',
      fields: ['firstName', 'lastName'],
      memberTypes: [],
      required: true,
    });
    expect(await personByEmail(t().ctx, other)).toBeUndefined();
    const named = await b2.request('POST', `/api/landing/${strict.slug}/verify`, {
      email: other,
      code: second.code,
      firstName: 'Rae',
      lastName: 'Quired',
    });
    expect(named.json()).toMatchObject({ outcome: 'joined', created: true });
  });

  it('asks an invited address without a name for one, then activates and joins it', async () => {
    const c = await landing();
    const person = await buildPerson(t().ctx, { status: 'invited', firstName: '', lastName: '' });
    const b = browser();
    const { code } = await askCode(b, c.slug, person.email!);
    const first = await b.request('POST', `/api/landing/${c.slug}/verify`, { email: person.email, code });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      next: 'profile',
      fields: ['firstName', 'lastName'],
      memberTypes: [],
      required: false,
    });
    const res = await b.request('POST', `/api/landing/${c.slug}/verify`, {
      email: person.email,
      code,
      firstName: 'Ivy',
      lastName: 'Ng',
    });
    expect(res.json()).toMatchObject({ outcome: 'joined', signedIn: true });
    expect(await personByEmail(t().ctx, person.email!)).toMatchObject({
      status: 'active',
      first_name: 'Ivy',
      last_name: 'Ng',
    });
  });

  it('creates a new active member after the names, keeping the code usable for that retry', async () => {
    const c = await landing();
    const email = freshEmail();
    const b = browser();
    const { code } = await askCode(b, c.slug, email);
    const first = await b.request('POST', `/api/landing/${c.slug}/verify`, { email, code });
    // An answer, not an error: a browser logs no failed request on the normal path.
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      next: 'profile',
      fields: ['firstName', 'lastName'],
      memberTypes: [],
      required: false,
    });
    expect(await personByEmail(t().ctx, email)).toBeUndefined();
    expect(b.signedIn).toBe(false);

    const res = await b.request('POST', `/api/landing/${c.slug}/verify`, {
      email,
      code,
      firstName: 'Ada',
      lastName: 'Byron',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'joined', signedIn: true, created: true });
    const person = await personByEmail(t().ctx, email);
    expect(person).toMatchObject({ status: 'active', first_name: 'Ada', last_name: 'Byron', name_key: 'ada byron' });
    expect(await membershipOf(t().ctx, c.id, person!.id)).toMatchObject({ state: 'joined', source: 'landing' });
    // the code is now used
    const reuse = await b.request('POST', `/api/landing/${c.slug}/verify`, {
      email,
      code,
      firstName: 'Ada',
      lastName: 'Byron',
    });
    // (the attempt cookie is gone too, so the browser is told to start again)
    expect(reuse.statusCode).toBe(400);
    expect(['code_invalid', 'sign_in_other_browser']).toContain(reuse.json().error.code);
  });

  it('lets only one of several parallel verifications of one code through, and joins once', async () => {
    const c = await landing();
    const email = freshEmail();
    const b = browser();
    const { code } = await askCode(b, c.slug, email);
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        b.request('POST', `/api/landing/${c.slug}/verify`, { email, code, firstName: 'Par', lastName: 'Allel' }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400, 400]);
    const people = await t().ctx.db.selectFrom('person').select('id').where('email', '=', email).execute();
    expect(people).toHaveLength(1);
    const rows = await t()
      .ctx.db.selectFrom('membership')
      .select('state')
      .where('person_id', '=', people[0].id)
      .execute();
    expect(rows).toEqual([{ state: 'joined' }]);
  });

  it('refuses a wrong code and counts it; the fifth wrong try kills the code', async () => {
    const c = await landing();
    const email = freshEmail();
    const b = browser();
    const { code } = await askCode(b, c.slug, email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= limits.signInCodeMaxAttempts; i++) {
      const res = await b.request('POST', `/api/landing/${c.slug}/verify`, {
        email,
        code: wrong,
        firstName: 'A',
        lastName: 'B',
      });
      expect(res.json().error.code).toBe(i < limits.signInCodeMaxAttempts ? 'code_invalid' : 'code_attempts_exceeded');
    }
    const res = await b.request('POST', `/api/landing/${c.slug}/verify`, {
      email,
      code,
      firstName: 'A',
      lastName: 'B',
    });
    expect(res.json().error.code).toBe('code_attempts_exceeded');
    expect(await personByEmail(t().ctx, email)).toBeUndefined();
  });

  it('binds the code to the browser that asked', async () => {
    const c = await landing();
    const email = freshEmail();
    const { code } = await askCode(browser(), c.slug, email);
    const res = await browser().request('POST', `/api/landing/${c.slug}/verify`, {
      email,
      code,
      firstName: 'A',
      lastName: 'B',
    });
    expect(res.json().error.code).toBe('sign_in_other_browser');
  });

  it('tells pending and inactive people their account awaits an admin, and changes nothing', async () => {
    const c = await landing();
    for (const [status, error] of [
      ['pending', 'account_pending'],
      ['inactive', 'account_inactive'],
    ] as const) {
      const person = await buildPerson(t().ctx, { status });
      const b = browser();
      const { code } = await askCode(b, c.slug, person.email!);
      const res = await b.request('POST', `/api/landing/${c.slug}/verify`, { email: person.email, code });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe(error);
      expect(b.signedIn).toBe(false);
      expect(await membershipOf(t().ctx, c.id, person.id)).toBeUndefined();
      expect((await personByEmail(t().ctx, person.email!))?.status).toBe(status);
    }
  });

  it('asks for a member type where the site has types', async () => {
    const c = await landing();
    const now = t().clock.now();
    await t()
      .ctx.db.insertInto('member_type')
      .values([
        { name: 'Alumni', name_key: 'alumni', created_at: now },
        { name: 'Student', name_key: 'student', created_at: now },
      ])
      .onConflict((oc) => oc.column('name_key').doNothing())
      .execute();
    try {
      const email = freshEmail();
      const b = browser();
      const { code } = await askCode(b, c.slug, email);
      const first = await b.request('POST', `/api/landing/${c.slug}/verify`, {
        email,
        code,
        firstName: 'Al',
        lastName: 'Um',
      });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({
        next: 'profile',
        fields: ['memberType'],
        memberTypes: ['Alumni', 'Student'],
        required: false,
      });
      const bad = await b.request('POST', `/api/landing/${c.slug}/verify`, {
        email,
        code,
        firstName: 'Al',
        lastName: 'Um',
        memberType: 'Robot',
      });
      expect(bad.json().error.code).toBe('unknown_member_type');
      const res = await b.request('POST', `/api/landing/${c.slug}/verify`, {
        email,
        code,
        firstName: 'Al',
        lastName: 'Um',
        memberType: ' alumni ',
      });
      expect(res.json()).toMatchObject({ outcome: 'joined', created: true });
      const person = await personByEmail(t().ctx, email);
      const type = await t()
        .ctx.db.selectFrom('member_type')
        .select('name')
        .where('id', '=', person!.member_type_id!)
        .executeTakeFirst();
      expect(type?.name).toBe('Alumni');
    } finally {
      await t().ctx.db.deleteFrom('person').where('member_type_id', 'is not', null).execute();
      await t().ctx.db.deleteFrom('member_type').execute();
    }
  });

  it('lets a signed-in person join without a new code; signed out it asks for sign-in', async () => {
    const c = await landing();
    const person = await buildPerson(t().ctx);
    const cookie = await sessionCookie(t().ctx, person.id);
    const first = await app().inject({ method: 'POST', url: `/api/landing/${c.slug}/join`, headers: { cookie } });
    expect(first.json()).toMatchObject({ outcome: 'joined', signedIn: true, communityId: c.id });
    const second = await app().inject({ method: 'POST', url: `/api/landing/${c.slug}/join`, headers: { cookie } });
    expect(second.json().outcome).toBe('already_member');
    expect((await app().inject({ method: 'POST', url: `/api/landing/${c.slug}/join` })).statusCode).toBe(401);
    const off = await buildCommunity(t().ctx);
    expect(
      (await app().inject({ method: 'POST', url: `/api/landing/${off.slug}/join`, headers: { cookie } })).statusCode,
    ).toBe(404);
  });

  describe('the emailed link', () => {
    it('joins nobody on HEAD or GET; the Continue button (POST) signs in and joins', async () => {
      const c = await landing();
      const person = await buildPerson(t().ctx);
      const b = browser();
      const { link, token } = await askCode(b, c.slug, person.email!);
      expect(link).toBe(`http://localhost:3000/join/${c.slug}#link=${token}`);
      const path = new URL(link).pathname;
      for (const method of ['HEAD', 'GET'] as const) {
        await b.request(method, path);
        await b.request(method, `${path}?link=${token}`);
        await b.request(method, `/api/landing/${c.slug}`);
      }
      expect(await membershipOf(t().ctx, c.id, person.id)).toBeUndefined();
      expect(b.signedIn).toBe(false);
      const res = await b.request('POST', `/api/landing/${c.slug}/link`, { token });
      expect(res.json()).toMatchObject({ outcome: 'joined', signedIn: true });
      expect(await membershipOf(t().ctx, c.id, person.id)).toMatchObject({ state: 'joined' });
      const again = await b.request('POST', `/api/landing/${c.slug}/link`, { token });
      expect(again.statusCode).toBe(400);
      expect(['link_invalid', 'sign_in_other_browser']).toContain(again.json().error.code);
    });

    it('asks a new person for their name and keeps the link usable for that', async () => {
      const c = await landing();
      const email = freshEmail();
      const b = browser();
      const { token } = await askCode(b, c.slug, email);
      const first = await b.request('POST', `/api/landing/${c.slug}/link`, { token });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ next: 'profile', fields: ['firstName', 'lastName'] });
      const res = await b.request('POST', `/api/landing/${c.slug}/link`, { token, firstName: 'Lin', lastName: 'K' });
      expect(res.json()).toMatchObject({ outcome: 'joined', created: true });
    });

    it('works only in the browser that asked', async () => {
      const c = await landing();
      const person = await buildPerson(t().ctx);
      const { token } = await askCode(browser(), c.slug, person.email!);
      const res = await browser().request('POST', `/api/landing/${c.slug}/link`, { token });
      expect(res.json().error.code).toBe('sign_in_other_browser');
    });
  });
});
