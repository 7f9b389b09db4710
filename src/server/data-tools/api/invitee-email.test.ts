/**
 * "Email these invitees" of a Data Tools invite job, on both databases with the manual clock:
 * the count (never a pre-verified person; never declined, revoked, expired, hidden, already
 * emailed, suppressed, pending or inactive people), the preview, the set-based queueing over
 * thousands of invitations, the throttle (due times, and the real sender and SMTP peer releasing
 * only what is due), idempotency (confirm twice, at once or in turn) and the job's progress.
 */
import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { closeInvitation, setInvitationEmail } from '../../memberships/index.js';
import { suppressUnsubscribedAddress } from '../../email/suppression.repository.js';
import { senderDeps, sendDueEmails } from '../../email/sender.js';
import { registries } from '../../modules.js';
import { insertPeople } from '../../testing/bulk-people.js';
import { buildCommunity, buildPerson } from '../../testing/factories.js';
import { useTestApp } from '../../testing/test-app.js';
import { describeEachDb } from '../../testing/test-db.js';
import { adminCookie, runJob } from '../test-support.js';
import { useSmtpPeer } from '../../testing/use-smtp-peer.js';

const byUniqueId = { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' };

const smtp = useSmtpPeer({ from: 'Convene <no-reply@convene.test>', maxConnections: 1 });

describeEachDb('data tools: emailing a job’s invitees', (t) => {
  const app = useTestApp(t);
  let tag = 0;
  beforeEach(() => smtp.peer.reset());

  /** A finished invite job of `bulk` people (active, no account, pre-verified in turn) and the special cases. */
  async function finishedJob(bulk: number) {
    const { ctx } = t();
    const { cookie, adminId } = await adminCookie(ctx);
    const community = await buildCommunity(ctx, { landingEnabled: true });
    const prefix = `EI${tag++}C${community.id}`;
    await insertPeople(ctx.db, {
      prefix,
      count: bulk,
      statuses: ['pre_verified', 'active', 'invited'],
      now: ctx.clock.now(),
    });
    const special = {} as Record<
      'pending' | 'inactive' | 'declined' | 'revoked' | 'dismissed' | 'expired' | 'emailed' | 'suppressed' | 'noEmail',
      { id: number; email: string | null; unique_id: string | null }
    >;
    for (const kind of Object.keys({
      pending: 0,
      inactive: 0,
      declined: 0,
      revoked: 0,
      dismissed: 0,
      expired: 0,
      emailed: 0,
      suppressed: 0,
      noEmail: 0,
    }) as (keyof typeof special)[]) {
      special[kind] = await buildPerson(ctx, {
        uniqueId: `${prefix}-${kind}`,
        status: kind === 'pending' ? 'pending' : kind === 'inactive' ? 'inactive' : 'active',
        email: kind === 'noEmail' ? null : `${prefix}-${kind}@example.edu`,
      });
    }
    const ids = [
      ...Array.from({ length: bulk }, (_, i) => `${prefix}-${i + 1}`),
      ...Object.values(special).map((p) => p.unique_id),
    ];
    const job = await runJob(app(), ctx, cookie, {
      type: 'invite_to_community',
      file: ['Community ID,Unique ID', ...ids.map((id) => `${community.id},${id}`)].join('\r\n'),
      mapping: byUniqueId,
    });
    expect(job.status).toBe('completed');
    const now = ctx.clock.now();
    await closeInvitation(ctx.db, community.id, special.declined.id, 'decline', now);
    await closeInvitation(ctx.db, community.id, special.revoked.id, 'revoke', now);
    await closeInvitation(ctx.db, community.id, special.dismissed.id, 'dismiss', now);
    await setInvitationEmail(ctx.db, community.id, special.emailed.id, 'sent', null, now);
    await suppressUnsubscribedAddress(ctx.db, special.suppressed.email!, null, now);
    // past its expiry, not yet swept: no longer open
    await ctx.db
      .updateTable('membership')
      .set({ expires_at: now - 1 })
      .where('community_id', '=', community.id)
      .where('person_id', '=', special.expired.id)
      .execute();
    // person i has status ['pre_verified', 'active', 'invited'][i % 3]
    const preverified = Math.floor(bulk / 3);
    return { cookie, adminId, community, job, prefix, special, emailable: bulk - preverified, preverified };
  }

  const ask = (cookie: string, jobId: number, body: Record<string, unknown>) =>
    app().inject({
      method: 'POST',
      url: `/api/admin/data-jobs/${jobId}/email-invitees`,
      headers: { cookie },
      payload: body,
    });
  const outboxOf = (jobId: number) =>
    t()
      .ctx.db.selectFrom('email_outbox')
      .select(['to_address', 'next_attempt_at', 'payload', 'sender_id'])
      .where('dedupe_key', 'like', `data_job_invitees:${jobId}:%`)
      .execute();

  it('counts only active people and people without an account whose invitation is open and never emailed; the preview is the real email', async () => {
    const { cookie, job, community, special, emailable, preverified } = await finishedJob(30);
    const res = await ask(cookie, job.id, { ratePerMinute: 10 });
    expect(res.statusCode).toBe(200);
    const answer = res.json();
    expect(answer).toMatchObject({ count: emailable, preverified, alreadyEmailed: 1, confirmed: false, minutes: 1 });
    // suppressed and without an address; pending and inactive people were never invited by the job
    expect(answer.otherwise).toBe(2);
    expect(answer.preview.subject).toContain(community.name);
    // the first recipient (person 1) is active: their Join leads to the community
    expect(answer.preview.html).toContain(`/communities/${community.id}"`);
    expect(answer.preview.text).toContain('Unsubscribe');
    // asking writes nothing
    expect(await outboxOf(job.id)).toEqual([]);
    for (const p of Object.values(special)) expect(answer.preview.to).not.toBe(p.email);
  });

  it('queues thousands set-based, spread by the throttle, to nobody pre-verified, declined, revoked, hidden, expired, emailed or suppressed', async () => {
    const { ctx } = t();
    const { cookie, job, prefix, special, emailable } = await finishedJob(3000);
    const now = ctx.clock.now();
    const res = await ask(cookie, job.id, { ratePerMinute: 250, confirm: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ count: emailable, confirmed: true, minutes: Math.floor((emailable - 1) / 250) });
    const rows = await outboxOf(job.id);
    expect(rows).toHaveLength(emailable);
    const addresses = new Set(rows.map((r) => r.to_address));
    for (const p of Object.values(special)) expect(addresses.has(p.email ?? '')).toBe(false);
    const statuses = await ctx.db
      .selectFrom('person')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('email', 'in', [...addresses])
      .groupBy('status')
      .execute();
    expect(Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]))).toEqual({
      active: emailable / 2,
      invited: emailable / 2,
    });
    expect(addresses.has(`${prefix.toLowerCase()}-3@example.edu`)).toBe(false); // person 3 is pre-verified
    // 250 due each minute, from now on
    const perMinute = new Map<number, number>();
    for (const r of rows)
      perMinute.set((r.next_attempt_at - now) / 60_000, (perMinute.get((r.next_attempt_at - now) / 60_000) ?? 0) + 1);
    expect([...perMinute.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: Math.ceil(emailable / 250) }, (_, i) => i),
    );
    expect([...perMinute.values()].every((n) => n <= 250)).toBe(true);
    expect(perMinute.get(0)).toBe(250);
    // the follow-up counts against nobody's daily quota
    expect(rows.every((r) => r.sender_id === null)).toBe(true);
    // each invitation now points at its email
    const states = await app().inject({ url: `/api/admin/data-jobs/${job.id}/email-invitees`, headers: { cookie } });
    expect(states.json()).toMatchObject({
      runs: [{ count: emailable, ratePerMinute: 250 }],
      states: { queued: emailable },
    });
  });

  it('a double click queues each email once: the second confirmation finds nobody left', async () => {
    const { cookie, job, emailable } = await finishedJob(60);
    const [a, b] = await Promise.all([
      ask(cookie, job.id, { ratePerMinute: 100, confirm: true }),
      ask(cookie, job.id, { ratePerMinute: 100, confirm: true }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect([a.json().count, b.json().count].sort((x, y) => x - y)).toEqual([0, emailable]);
    const again = await ask(cookie, job.id, { ratePerMinute: 100, confirm: true });
    expect(again.json().count).toBe(0);
    expect(await outboxOf(job.id)).toHaveLength(emailable);
    const progress = await app().inject({ url: `/api/admin/data-jobs/${job.id}/email-invitees`, headers: { cookie } });
    expect(progress.json().runs).toHaveLength(1);
    // the preview now says so
    expect((await ask(cookie, job.id, { ratePerMinute: 100 })).json()).toMatchObject({
      count: 0,
      alreadyEmailed: emailable + 1,
      preview: null,
    });
  });

  it('the real sender releases only what the throttle made due; the job’s page follows them to sent', async () => {
    const { ctx, clock } = t();
    const { cookie, job, emailable } = await finishedJob(6); // 4 emailable
    expect(emailable).toBe(4);
    // other tests' emails are not this test's business
    await ctx.db
      .deleteFrom('email_outbox')
      .where('dedupe_key', 'not like', `data_job_invitees:${job.id}:%`)
      .where('state', '=', 'queued')
      .execute();
    expect((await ask(cookie, job.id, { ratePerMinute: 3, confirm: true })).json().count).toBe(4);
    const deps = senderDeps(ctx, {
      transport: smtp.transport,
      templates: registries.emailTemplates,
      hooks: registries.deliveryHooks,
      retryBaseMs: 60_000,
      concurrency: 1,
    });
    const send = () => sendDueEmails(ctx, deps, undefined, undefined, { base: 1, cap: 1 });
    expect(await send()).toBe(3);
    expect(await send()).toBe(0);
    await smtp.peer.waitFor(3);
    const progress = async () =>
      (await app().inject({ url: `/api/admin/data-jobs/${job.id}/email-invitees`, headers: { cookie } })).json().states;
    expect(await progress()).toMatchObject({ sent: 4 - 1, queued: 1 });
    clock.advance(60_000);
    expect(await send()).toBe(1);
    const messages = await smtp.peer.waitFor(4);
    expect(await progress()).toMatchObject({ sent: 4 });
    expect(messages[0]!.subject).toContain('invited you to join');
    // people without an account are sent to the landing page with their address in the fragment
    const newcomer = messages.find((m) => (m.text ?? '').includes('#email='));
    expect(newcomer?.text).toContain(`/join/`);
    expect(newcomer?.text).toContain(`#email=${encodeURIComponent(newcomer!.to[0]!)}`);
  });

  it('refuses a rate out of bounds, a job that is not an invite job or not finished, with their own codes', async () => {
    const { ctx } = t();
    const { cookie, job } = await finishedJob(3);
    for (const rate of [0, 5001, 2.5])
      expect((await ask(cookie, job.id, { ratePerMinute: rate })).json().error.code).toBe('email_rate_invalid');
    await sql`UPDATE data_job SET type = 'deactivate' WHERE id = ${job.id}`.execute(ctx.db);
    expect((await ask(cookie, job.id, { ratePerMinute: 5 })).json().error.code).toBe('job_not_invite');
    await sql`UPDATE data_job SET type = 'invite_to_community' WHERE id = ${job.id}`.execute(ctx.db);
    await sql`UPDATE data_job SET status = 'running' WHERE id = ${job.id}`.execute(ctx.db);
    const running = await ask(cookie, job.id, { ratePerMinute: 5, confirm: true });
    expect(running.statusCode).toBe(409);
    expect(running.json().error.code).toBe('job_not_finished');
    expect(await outboxOf(job.id)).toEqual([]);
  });
});
