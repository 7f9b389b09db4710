import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import type { AppContext } from '../context.js';
import { buildPerson } from '../testing/factories.js';
import { describeEachDb } from '../testing/test-db.js';
import { requestSignInCode } from './sign-in-code.service.js';
import { signInWithCode, signInWithLink } from './sign-in.service.js';
import { latestSignInEmail, linkToken, nextEmail, nextIp, wrongCode } from './testing.js';

describeEachDb('sign-in logs', (t) => {
  it('say what happened without codes, tokens or full addresses', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const ctx: AppContext = { ...t().ctx, log: pino({ level: 'info', timestamp: false, base: undefined }, sink) };
    const attemptToken = 'attempt-token-for-the-log-test-0001';
    const person = await buildPerson(ctx, { email: nextEmail('logged') });
    const email = person.email!;

    await requestSignInCode(ctx, { email, ip: nextIp(), attemptToken });
    const { code, link } = (await latestSignInEmail(ctx, email))!;
    await expect(signInWithCode(ctx, { email, code: wrongCode(code), attemptToken })).rejects.toMatchObject({
      code: 'code_invalid',
    });
    const { session } = await signInWithCode(ctx, { email, code, attemptToken });
    await expect(signInWithLink(ctx, { token: linkToken(link), attemptToken })).rejects.toMatchObject({
      code: 'link_invalid',
    });

    const log = lines.join('');
    expect(log).toContain('sign_in.code_requested');
    expect(log).toContain('sign_in.refused');
    expect(log).toContain('sign_in.succeeded');
    for (const secret of [email, code, wrongCode(code), linkToken(link), attemptToken, session.token])
      expect(log).not.toContain(secret);
  });
});
