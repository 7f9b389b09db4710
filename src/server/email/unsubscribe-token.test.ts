/** Unsubscribe links do not show the address; links from emails sent before keep working. */
import { expect, it } from 'vitest';
import { hmac } from '../crypto.js';
import type { Config } from '../config.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { unsubscribeUrl } from './unsubscribe.js';

/** How links were made before: the address in base64url, a dot, an HMAC. */
function legacyToken(config: Config, address: string): string {
  return `${Buffer.from(address).toString('base64url')}.${hmac(config.secret, 'unsubscribe', address).slice(0, 32)}`;
}

describeEachDb('unsubscribe tokens', (t) => {
  const app = useTestApp(t);

  it('are opaque: nothing in the link spells or encodes the address', async () => {
    const to = `outsider-${t().dialect}@example.net`;
    const url = unsubscribeUrl(t().ctx.config, to);
    const token = url.slice(url.lastIndexOf('/') + 1);
    for (const leak of [to, 'outsider', Buffer.from(to).toString('base64url').slice(0, 12)])
      expect(url).not.toContain(leak);
    expect(unsubscribeUrl(t().ctx.config, `other-${to}`).slice(0, -30)).not.toBe(url.slice(0, -30));
    const res = await app().inject({
      method: 'POST',
      url: `/unsubscribe/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    const row = await t().ctx.db.selectFrom('suppression').select('scope').where('email', '=', to).executeTakeFirst();
    expect(row).toEqual({ scope: 'marketing' });
  });

  it('from emails sent before still unsubscribe, and a forged one is refused', async () => {
    const to = `old-link-${t().dialect}@example.net`;
    const token = legacyToken(t().ctx.config, to);
    expect((await app().inject({ url: `/api/unsubscribe/${token}` })).json()).toEqual({
      email: 'ol***@example.net',
      unsubscribed: false,
    });
    expect((await app().inject({ method: 'POST', url: `/api/unsubscribe/${token}`, payload: {} })).statusCode).toBe(
      200,
    );
    const forged = `${Buffer.from('eve@example.net').toString('base64url')}.${token.split('.')[1]}`;
    expect((await app().inject({ url: `/api/unsubscribe/${forged}` })).statusCode).toBe(404);
  });
});
