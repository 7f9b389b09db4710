import { expect, it } from 'vitest';
import { limits } from '../../shared/limits.js';
import { buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { purgeExpiredSignInData } from './cleanup.js';
import { Browser, nextEmail } from './testing.js';

describeEachDb('purgeExpiredSignInData', (t) => {
  const app = useTestApp(t);

  it('deletes old codes, old per-IP counters and ended sessions, and keeps the rest', async () => {
    const ctx = t().ctx;
    const now = ctx.clock.now();
    await ctx.db
      .insertInto('rate_limit')
      .values({ key: 'other_feature:x', window_start: now - 10 * 60 * 60 * 1000, count: 1 })
      .execute();
    const old = nextEmail();
    await new Browser(app).post('/api/auth/code', { email: old });
    const person = await buildPerson(ctx, { email: nextEmail() });
    await sessionCookie(ctx, person.id);
    t().clock.advance(limits.sessionIdleMs);
    const fresh = nextEmail();
    await new Browser(app).post('/api/auth/code', { email: fresh });
    const live = await buildPerson(ctx, { email: nextEmail() });
    await sessionCookie(ctx, live.id);

    const purged = await purgeExpiredSignInData(ctx);
    expect(purged.signInCodes).toBeGreaterThanOrEqual(1);
    expect(purged.rateLimits).toBeGreaterThanOrEqual(1);
    expect(purged.sessions).toBeGreaterThanOrEqual(1);
    expect(await ctx.db.selectFrom('sign_in_code').select('id').where('email', '=', old).execute()).toEqual([]);
    expect(await ctx.db.selectFrom('sign_in_code').select('id').where('email', '=', fresh).execute()).toHaveLength(1);
    expect(await ctx.db.selectFrom('session').select('id').where('person_id', '=', person.id).execute()).toEqual([]);
    expect(await ctx.db.selectFrom('session').select('id').where('person_id', '=', live.id).execute()).toHaveLength(1);
    expect(
      await ctx.db.selectFrom('rate_limit').select('key').where('key', '=', 'other_feature:x').execute(),
    ).toHaveLength(1);
  });
});
