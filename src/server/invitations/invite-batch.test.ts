/** The batch as a whole: the 250 limit, the Idempotency-Key, who may invite. Both databases. */
import { expect, it } from 'vitest';
import { addMembership, buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { freshEmail, invite, ledCommunity, outboxTo } from './invitation-test-helpers.js';

const addresses = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}-${i}@limit.example.org`);

describeEachDb('invite: the batch', (t) => {
  const app = useTestApp(t);

  const counts = async () => {
    const { ctx } = t();
    const count = async (table: 'person' | 'membership' | 'email_outbox') =>
      Number(
        (
          await ctx.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      people: await count('person'),
      memberships: await count('membership'),
      emails: await count('email_outbox'),
    };
  };

  it('251 recipients after de-duplication are refused whole, with the limit in the message, and nothing is written', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const picked = await buildPerson(ctx);
    const before = await counts();
    const list = addresses(250, 'over');
    const { status, body } = await invite(app(), cookie, community.id, {
      personIds: [picked.id],
      emails: list.join('\n'),
    });
    expect(status).toBe(400);
    expect(body.error?.code).toBe('invitation_limit_exceeded');
    expect(body.error?.message).toContain('250');
    expect(await counts()).toEqual(before);
  });

  it('250 after de-duplication pass: duplicates, case variants and a picked person who is also pasted count once', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const picked = await buildPerson(ctx);
    const list = addresses(249, 'at');
    const text = [...list, ...list.map((e) => e.toUpperCase()), picked.email as string, 'not-an-email'].join(', ');
    const { status, body } = await invite(app(), cookie, community.id, {
      personIds: [picked.id, picked.id],
      emails: text,
      sendEmail: false,
    });
    expect(status).toBe(200);
    expect(body.summary).toEqual({
      recipients: 251,
      invited: 250,
      emailed: 0,
      alreadyInvited: 0,
      skipped: 1,
      // 249 case variants, the picked person picked twice, and pasted too
      duplicatesMerged: 251,
    });
  });

  it('an empty request is refused with no_recipients', async () => {
    const { community, cookie } = await ledCommunity(t().ctx);
    const { status, body } = await invite(app(), cookie, community.id, { emails: ' ,; \n' });
    expect(status).toBe(400);
    expect(body.error?.code).toBe('no_recipients');
  });

  it('Idempotency-Key: a retry gets the first answer and invites or emails nobody again; another body is refused', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const email = freshEmail('idem');
    const headers = { 'idempotency-key': `key-${email}` };
    const first = await invite(app(), cookie, community.id, { emails: email, message: 'once' }, headers);
    expect(first.body.results[0]).toMatchObject({ outcome: 'invited', reason: 'emailed', created: true });
    const before = await counts();
    const again = await invite(app(), cookie, community.id, { emails: email, message: 'once' }, headers);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await counts()).toEqual(before);
    expect(await outboxTo(ctx, email)).toHaveLength(1);
    // Without the key the same request is a new one: already invited, still no second email.
    const fresh = await invite(app(), cookie, community.id, { emails: email, message: 'once' });
    expect(fresh.body.results[0]).toMatchObject({ outcome: 'already_invited' });
    const reused = await invite(app(), cookie, community.id, { emails: email, message: 'different' }, headers);
    expect(reused.status).toBe(409);
    expect(reused.body.error?.code).toBe('idempotency_key_reused');
  });

  it('Idempotency-Key: parallel retries with one key do the work once', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const emails = [freshEmail('p1'), freshEmail('p2')];
    const headers = { 'idempotency-key': `parallel-${emails[0]}` };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => invite(app(), cookie, community.id, { emails: emails.join(',') }, headers)),
    );
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body).toEqual(answers[0].body);
    }
    expect(answers[0].body.summary.invited).toBe(2);
    for (const e of emails) expect(await outboxTo(ctx, e)).toHaveLength(1);
  });

  it('who may invite: admins and this community’s leaders; others 403; an invite-only community they cannot see 404; signed out 401', async () => {
    const { ctx } = t();
    const community = await buildCommunity(ctx, { privacy: 'private' });
    const hidden = await buildCommunity(ctx, { privacy: 'invite_only' });
    const admin = await buildAdmin(ctx);
    const leader = await buildPerson(ctx);
    const leaderElsewhere = await buildPerson(ctx);
    const member = await buildPerson(ctx);
    const other = await ledCommunity(ctx);
    await addMembership(ctx, community.id, leader.id, 'joined', 'leader');
    await addMembership(ctx, other.community.id, leaderElsewhere.id, 'joined', 'leader');
    await addMembership(ctx, community.id, member.id, 'joined', 'member');
    const target = await buildPerson(ctx);
    const call = async (personId: number | null, communityId: number) => {
      const cookie = personId === null ? '' : await sessionCookie(ctx, personId);
      return (await invite(app(), cookie, communityId, { personIds: [target.id], sendEmail: false })).status;
    };
    expect(await call(admin.id, community.id)).toBe(200);
    expect(await call(leader.id, community.id)).toBe(200);
    expect(await call(admin.id, hidden.id)).toBe(200);
    expect(await call(member.id, community.id)).toBe(403);
    expect(await call(leaderElsewhere.id, community.id)).toBe(403);
    expect(await call(leaderElsewhere.id, hidden.id)).toBe(404);
    expect(await call(member.id, 999_999)).toBe(404);
    expect(await call(null, community.id)).toBe(401);
  });
});
