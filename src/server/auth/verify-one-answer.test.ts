/**
 * A made-up attempt cookie must not tell whether an address asked for a code recently: the
 * account's and the landing page's verify answer the same for an address with a fresh code
 * (asked for elsewhere) and one with none.
 */
import { expect, it } from 'vitest';
import { buildCommunity } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { Browser, nextEmail } from './testing.js';

describeEachDb('verify: one answer for a forged attempt cookie', (t) => {
  const app = useTestApp(t);

  it('is the same whether or not the address asked for a code', async () => {
    const community = await buildCommunity(t().ctx, { landingEnabled: true, privacy: 'public' });
    const asked = nextEmail('asked');
    await new Browser(app).post('/api/auth/code', { email: asked });
    await new Browser(app).post(`/api/landing/${community.slug}/code`, { email: asked });
    const quiet = nextEmail('quiet');
    for (const url of ['/api/auth/verify', `/api/landing/${community.slug}/verify`]) {
      const answers = [];
      for (const email of [asked, quiet]) {
        const forger = new Browser(app);
        forger.jar.set('convene_attempt', 'made-up-attempt-token-0123456789');
        const res = await forger.post(url, { email, code: '123456' });
        // every answer has its own request id; the rest must not differ by a byte
        answers.push({ status: res.statusCode, body: res.body.replace(/"requestId":"[^"]*"/, '"requestId":"…"') });
      }
      expect(answers[0], url).toEqual(answers[1]);
      expect(answers[0].status, url).toBe(400);
    }
  });
});
