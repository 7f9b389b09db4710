/**
 * A stranger can ask for codes for someone's address in their own browser and guess there; those
 * guesses count against that browser only, so the owner's own browser still signs in.
 */
import { expect, it } from 'vitest';
import { limits } from '../../shared/limits.js';
import { buildPerson } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { Browser, latestSignInEmail, nextEmail, wrongCode } from './testing.js';

describeEachDb('guess limits bind to the browser that asked', (t) => {
  const app = useTestApp(t);
  const errorOf = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;

  it('a stranger’s 20 wrong guesses block the stranger, not the owner', async () => {
    const person = await buildPerson(t().ctx, { email: nextEmail('owner') });
    const email = person.email!;
    const stranger = new Browser(app);
    let last: string | undefined;
    for (let round = 0; round < limits.signInDailyFailures / limits.signInCodeMaxAttempts; round++) {
      if (round > 0) t().clock.advance(limits.codeSendMinIntervalMs * 15);
      await stranger.post('/api/auth/code', { email });
      const { code } = (await latestSignInEmail(t().ctx, email))!;
      for (let i = 0; i < limits.signInCodeMaxAttempts; i++)
        last = errorOf(await stranger.post('/api/auth/verify', { email, code: wrongCode(code) }));
    }
    expect(last).toBe('daily_attempts_exceeded');

    t().clock.advance(limits.codeSendMinIntervalMs * 15);
    const owner = new Browser(app);
    await owner.post('/api/auth/code', { email });
    const { code } = (await latestSignInEmail(t().ctx, email))!;
    // a wrong try of the owner's own is just a wrong try, and the right code signs in
    expect(errorOf(await owner.post('/api/auth/verify', { email, code: wrongCode(code) }))).toBe('code_invalid');
    const res = await owner.post('/api/auth/verify', { email, code });
    expect(res.statusCode).toBe(200);
  });
});
