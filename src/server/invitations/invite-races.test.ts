/** Races: parallel invites of one address, parallel joins of one invitation. Both databases. */
import { expect, it } from 'vitest';
import { addMembership, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { freshEmail, invite, ledCommunity, membershipOf, outboxTo } from './invitation-test-helpers.js';

describeEachDb('invite: races', (t) => {
  const app = useTestApp(t);

  it('two leaders inviting the same unknown address at once: one person, one membership, at most one email', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const second = await buildPerson(ctx);
    await addMembership(ctx, community.id, second.id, 'joined', 'leader');
    const secondCookie = await sessionCookie(ctx, second.id);
    for (let round = 0; round < 5; round++) {
      const email = freshEmail('race');
      const shared = [freshEmail('both-a'), freshEmail('both-b')];
      const answers = await Promise.all([
        invite(app(), cookie, community.id, { emails: [email, ...shared].join(',') }),
        invite(app(), secondCookie, community.id, { emails: [...shared].reverse().concat(email).join(';') }),
        invite(app(), cookie, community.id, { emails: email }),
      ]);
      for (const a of answers) expect(a.status).toBe(200);
      for (const address of [email, ...shared]) {
        const people = await ctx.db.selectFrom('person').select('id').where('email', '=', address).execute();
        expect(people).toHaveLength(1);
        expect(await membershipOf(ctx, community.id, people[0].id)).toMatchObject({ state: 'invited' });
        expect(await outboxTo(ctx, address)).toHaveLength(1);
        const outcomes = answers
          .flatMap((a) => a.body.results.filter((r) => r.email === address).map((r) => r.outcome))
          .sort();
        expect(outcomes.filter((o) => o === 'invited')).toHaveLength(1);
        expect(outcomes.every((o) => o === 'invited' || o === 'already_invited')).toBe(true);
      }
    }
  });

  it('two leaders inviting the same active member at once: one invitation, one email', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const admin = await buildPerson(ctx, { isAdmin: true });
    const adminCookie = await sessionCookie(ctx, admin.id);
    const person = await buildPerson(ctx);
    const answers = await Promise.all([
      invite(app(), cookie, community.id, { personIds: [person.id] }),
      invite(app(), adminCookie, community.id, { emails: person.email as string }),
    ]);
    expect(answers.map((a) => a.body.results[0].outcome).sort()).toEqual(['already_invited', 'invited']);
    expect(await outboxTo(ctx, person.email as string)).toHaveLength(1);
  });

  it('ten parallel joins of one invitation make one membership, joined once', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx, { privacy: 'invite_only' });
    const person = await buildPerson(ctx);
    await invite(app(), cookie, community.id, { personIds: [person.id] });
    const personCookie = await sessionCookie(ctx, person.id);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        app().inject({
          method: 'POST',
          url: `/api/communities/${community.id}/join`,
          headers: { cookie: personCookie },
        }),
      ),
    );
    for (const a of answers) expect(a.statusCode).toBe(200);
    const bodies = answers.map((a) => a.json() as { state: string; changed: boolean });
    expect(bodies.every((b) => b.state === 'joined')).toBe(true);
    expect(bodies.filter((b) => b.changed)).toHaveLength(1);
    const rows = await ctx.db
      .selectFrom('membership')
      .selectAll()
      .where('community_id', '=', community.id)
      .where('person_id', '=', person.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'joined', joined_at: ctx.clock.now() });
  });
});
