/**
 * Webhooks out against a real HTTP receiver started by the test (both databases): events are
 * queued in the transaction of the change, signed per Standard Webhooks (verified with the
 * `standardwebhooks` package), batched, retried with backoff (manual clock) in order per person,
 * delivered once each; an endpoint failing for a day is turned off with an email to the admins
 * (through the email outbox to the real SMTP peer); replay; the admin API.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { AppContext } from '../context.js';
import { registries } from '../modules.js';
import { senderDeps, sendDueEmails } from '../email/sender.js';
import { createSmtpTransport } from '../email/transport.js';
import { closeInvitation, moveMembership, upsertDataJobInvitations, upsertInvitations } from '../memberships/index.js';
import { deactivatePerson, reactivatePerson } from '../people/person-status.service.js';
import { addMembership, buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { startSmtpPeer, type SmtpPeer } from '../testing/smtp-peer.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';
import { defaultWebhookSenderOptions, deliverOnce } from './sender.js';
import { queueWebhookEvent } from './webhook-event.repository.js';
import { createWebhook, updateWebhook } from './webhook.service.js';

let receiver: WebhookReceiver;
let peer: SmtpPeer;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
  peer = await startSmtpPeer();
});
afterAll(async () => {
  await receiver.close();
  await peer.close();
});

const SECOND = 1_000;
const options = { ...defaultWebhookSenderOptions };

/** Sends until nothing is due now (each turn one endpoint). */
async function drain(ctx: AppContext): Promise<void> {
  while (await deliverOnce(ctx, 'test-sender', options));
}

describeEachDb(
  'webhooks out',
  (t) => {
    const app = useTestApp(t);
    let admin: Awaited<ReturnType<typeof buildAdmin>>;
    beforeAll(async () => {
      admin = await buildAdmin(t().ctx, { email: 'admin-webhooks@example.test' });
    });
    beforeEach(async () => {
      receiver.reset();
      peer.reset();
      // one endpoint at a time: earlier tests' endpoints are removed with their deliveries
      await t().ctx.db.deleteFrom('webhook_delivery').execute();
      await t().ctx.db.deleteFrom('webhook_endpoint').execute();
    });
    const caller = () => ({ person: admin, via: 'session' as const, sessionId: null, tokenId: null });
    const endpoint = (over: { perEvent?: boolean; events?: string[]; url?: string } = {}) =>
      createWebhook(t().ctx, caller(), {
        url: over.url ?? receiver.url,
        events: (over.events ?? [
          'person.created',
          'person.activated',
          'person.deactivated',
          'membership.invited',
          'membership.joined',
          'membership.declined',
          'membership.expired',
          'data_job.finished',
        ]) as never,
        perEvent: over.perEvent ?? false,
      });
    const deliveries = (endpointId: number) =>
      t()
        .ctx.db.selectFrom('webhook_delivery')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .orderBy('id')
        .execute();

    it("a Data Tools job's invitations are events only for an endpoint that wants them, one per invitation written", async () => {
      const ctx = t().ctx;
      const community = await buildCommunity(ctx);
      const people = [await buildPerson(ctx), await buildPerson(ctx), await buildPerson(ctx)];
      const now = ctx.clock.now();
      const invite = (who: typeof people) =>
        ctx.db.transaction().execute((trx) =>
          upsertDataJobInvitations(
            trx,
            who,
            (p) => [community.id, p.id, 'not_sent', people.indexOf(p) + 2],
            { invitedBy: admin.id, dataJobId: 903, now, expiresAt: null },
            () => {},
          ),
        );
      // an endpoint that wants other types only: no delivery rows
      const { endpoint: other } = await endpoint({ events: ['data_job.finished'] });
      await invite(people.slice(0, 1));
      expect(await deliveries(other.id)).toEqual([]);
      const { endpoint: ep } = await endpoint({ events: ['membership.invited'] });
      // the first person is invited already: the write leaves them, and no event says otherwise
      await invite(people);
      const rows = await deliveries(ep.id);
      expect(rows.map((r) => [r.event_type, r.person_id])).toEqual(
        people.slice(1).map((p) => ['membership.invited', p.id]),
      );
      expect(JSON.parse(rows[0]!.data)).toEqual({ personId: people[1]!.id, communityId: community.id, dataJobId: 903 });
      expect(await deliveries(other.id)).toEqual([]);
    });

    it('signs each request per Standard Webhooks; membership moves become events in their transaction', async () => {
      const { endpoint: ep, secret } = await endpoint();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      const ctx = t().ctx;
      const community = await buildCommunity(ctx);
      const [ada, bo] = [await buildPerson(ctx), await buildPerson(ctx)];
      const now = ctx.clock.now();
      await ctx.db.transaction().execute(async (trx) => {
        await upsertInvitations(
          trx,
          community.id,
          admin.id,
          null,
          [ada, bo].map((p) => ({
            personId: p.id,
            emailStatus: 'not_sent' as const,
            outboxId: null,
            nextReminderAt: null,
          })),
          now,
        );
      });
      await ctx.db
        .transaction()
        .execute((trx) => moveMembership(trx, community.id, ada.id, ['invited'], 'joined', now));
      await ctx.db.transaction().execute((trx) => closeInvitation(trx, community.id, bo.id, 'decline', now));
      await drain(ctx);
      expect(receiver.requests.length).toBeGreaterThan(0);
      for (const r of receiver.requests) {
        const verified = new Webhook(secret).verify(r.body, r.headers) as { type: string };
        expect(verified.type).toBe('batch');
        expect(r.headers['webhook-signature']).toMatch(/^v1,/);
      }
      // a wrong secret does not verify
      const first = receiver.requests[0]!;
      expect(() =>
        new Webhook(`whsec_${Buffer.from('not the secret').toString('base64')}`).verify(first.body, first.headers),
      ).toThrow();
      const events = receiver.delivered();
      expect(events.map((e) => [e.type, e.data.personId])).toEqual([
        ['membership.invited', ada.id],
        ['membership.invited', bo.id],
        ['membership.joined', ada.id],
        ['membership.declined', bo.id],
      ]);
      expect(events[0]!.data).toMatchObject({ communityId: community.id, invitedBy: admin.id });
      expect(events[0]!.id).toMatch(/^evt_[0-9a-f]{24}$/);
      expect((await deliveries(ep.id)).every((d) => d.state === 'delivered' && d.attempts === 1)).toBe(true);
      expect((await deliveries(ep.id))[0]).toMatchObject({ last_status: 204 });
      // nothing more to send
      expect(await deliverOnce(ctx, 'test-sender', options)).toBe(false);
    });

    it('sends nothing for a rolled-back transaction, and nothing an endpoint did not ask for', async () => {
      const { endpoint: ep } = await endpoint({ events: ['person.deactivated'] });
      const ctx = t().ctx;
      const person = await buildPerson(ctx);
      await expect(
        ctx.db.transaction().execute(async (trx) => {
          await queueWebhookEvent(trx, ctx.clock.now(), { type: 'person.deactivated', personId: person.id, data: {} });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      await queueWebhookEvent(ctx.db, ctx.clock.now(), { type: 'person.created', personId: person.id, data: {} });
      expect(await deliveries(ep.id)).toEqual([]);
      await drain(ctx);
      expect(receiver.requests).toEqual([]);
      // a real deactivation is sent, and the reactivation is not (not asked for)
      await deactivatePerson(ctx, null, person.id);
      await reactivatePerson(ctx, null, person.id);
      await drain(ctx);
      expect(receiver.delivered().map((e) => [e.type, e.data.personId, e.data.from])).toEqual([
        ['person.deactivated', person.id, 'active'],
      ]);
    });

    it('batches up to 100 events a request; an endpoint that asks gets one request per event', async () => {
      const { endpoint: batched } = await endpoint();
      const ctx = t().ctx;
      const events = Array.from({ length: 250 }, (_, i) => ({
        type: 'person.created' as const,
        personId: 1_000_000 + i,
        data: { n: i },
      }));
      await ctx.db.transaction().execute(async (trx) => {
        for (const e of events) await queueWebhookEvent(trx, ctx.clock.now(), e);
      });
      await drain(ctx);
      expect(receiver.requests.map((r) => (JSON.parse(r.body) as { events: unknown[] }).events.length)).toEqual([
        100, 100, 50,
      ]);
      expect(receiver.delivered().map((e) => e.data.n)).toEqual(events.map((e) => e.data.n));
      await updateWebhook(ctx, caller(), batched.id, { enabled: false });
      receiver.reset();
      await endpoint({ perEvent: true });
      for (const e of events.slice(0, 3)) await queueWebhookEvent(ctx.db, ctx.clock.now(), e);
      await drain(ctx);
      expect(receiver.requests).toHaveLength(3);
      expect(
        receiver.requests.map((r) => (JSON.parse(r.body) as { type: string; data: { n: number } }).data.n),
      ).toEqual([0, 1, 2]);
      expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(3);
    });

    it('retries a receiver that answers 500, hangs or is down: later, with backoff, once each, in order per person', async () => {
      const { endpoint: ep } = await endpoint();
      const ctx = t().ctx;
      const clock = t().clock;
      const emit = (personId: number, n: number) =>
        queueWebhookEvent(ctx.db, clock.now(), { type: 'person.activated', personId, data: { personId, n } });
      await emit(1, 1);
      await emit(2, 1);
      // 1. a 500
      receiver.failNext(1, 500);
      await drain(ctx);
      expect(receiver.requests.map((r) => r.status)).toEqual([500]);
      const failed = await deliveries(ep.id);
      expect(failed.map((d) => [d.state, d.attempts, d.last_status, d.next_attempt_at - clock.now()])).toEqual([
        ['queued', 1, 500, 5 * SECOND],
        ['queued', 1, 500, 5 * SECOND],
      ]);
      // a later event of person 1 waits for the earlier one, even once due
      await emit(1, 2);
      await drain(ctx);
      expect(receiver.requests).toHaveLength(1);
      // 2. a receiver that hangs: the request times out
      clock.advance(5 * SECOND);
      receiver.hangNext(1);
      await drain(ctx);
      expect(receiver.requests.map((r) => r.status)).toEqual([500, 'hung']);
      const timedOut = await deliveries(ep.id);
      expect(timedOut[0]).toMatchObject({ state: 'queued', attempts: 2, last_status: null });
      expect(timedOut[0]!.last_error).toMatch(/no answer within/);
      expect(timedOut[0]!.next_attempt_at - clock.now()).toBe(10 * SECOND);
      // 3. a receiver that is down
      clock.advance(10 * SECOND);
      await receiver.stop();
      await drain(ctx);
      const refused = await deliveries(ep.id);
      expect(refused[0]).toMatchObject({ attempts: 3, last_status: null });
      expect(refused[0]!.last_error).toMatch(/ECONNREFUSED/);
      await receiver.start();
      // not due yet: nothing is sent
      await drain(ctx);
      expect(receiver.delivered()).toEqual([]);
      clock.advance(20 * SECOND);
      await drain(ctx);
      // once each, in order per person
      const got = receiver.delivered().map((e) => [e.data.personId, e.data.n]);
      expect(got).toHaveLength(3);
      expect(got.filter(([p]) => p === 1)).toEqual([
        [1, 1],
        [1, 2],
      ]);
      expect(got.filter(([p]) => p === 2)).toEqual([[2, 1]]);
      const done = await deliveries(ep.id);
      expect(done.map((d) => [d.state, d.attempts])).toEqual([
        ['delivered', 4],
        ['delivered', 4],
        ['delivered', 1],
      ]);
      // the same request keeps its webhook-id on every retry
      const ids = receiver.requests.map((r) => r.headers['webhook-id']);
      expect(ids[0]).toBe(ids[1]);
    });

    it('turns an endpoint off after a day of failures and emails the admins through the outbox', async () => {
      const { endpoint: ep } = await endpoint();
      const ctx = t().ctx;
      const clock = t().clock;
      await receiver.stop();
      try {
        await queueWebhookEvent(ctx.db, clock.now(), { type: 'person.created', personId: 7, data: {} });
        const start = clock.now();
        while (clock.now() - start < 25 * 60 * 60_000) {
          await drain(ctx);
          const [d] = await deliveries(ep.id);
          clock.set(Math.max(d!.next_attempt_at, clock.now()));
          const row = await ctx.db
            .selectFrom('webhook_endpoint')
            .selectAll()
            .where('id', '=', ep.id)
            .executeTakeFirstOrThrow();
          if (row.enabled === 0) break;
        }
      } finally {
        await receiver.start();
      }
      const row = await ctx.db
        .selectFrom('webhook_endpoint')
        .selectAll()
        .where('id', '=', ep.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ enabled: 0, disabled_reason: 'failing' });
      expect(row.updated_at - (row.failing_since as number)).toBeGreaterThanOrEqual(24 * 60 * 60_000);
      // turned off: nothing is tried any more
      clock.advance(2 * 60 * 60_000);
      expect(await deliverOnce(ctx, 'test-sender', options)).toBe(false);
      const transport = createSmtpTransport({ url: peer.url, from: 'Convene <no-reply@convene.test>' });
      try {
        await sendDueEmails(ctx, senderDeps(ctx, { transport, templates: registries.emailTemplates, hooks: [] }));
      } finally {
        transport.close();
      }
      const [mail] = await peer.waitFor(1);
      expect(mail!.envelopeTo).toEqual(['admin-webhooks@example.test']);
      expect(mail!.subject).toContain(receiver.url);
      expect(mail!.text).toContain('turned it off');
      // turned back on by an admin: the kept event goes out
      await updateWebhook(ctx, caller(), ep.id, { enabled: true });
      clock.advance(2 * 60 * 60_000);
      await drain(ctx);
      expect(receiver.delivered().map((e) => e.data)).toHaveLength(1);
    });

    it('admin API: create answers the secret once, refuses non-https and private targets, lists deliveries, replays one', async () => {
      const ctx = t().ctx;
      const cookie = await sessionCookie(ctx, admin.id);
      const post = (payload: unknown) =>
        app().inject({ method: 'POST', url: '/api/admin/webhooks', headers: { cookie }, payload: payload as object });
      for (const [url, code] of [
        ['http://example.com/hook', 'webhook_url_not_https'],
        ['ftp://example.com/hook', 'webhook_url_not_https'],
        ['https://10.1.2.3/hook', 'webhook_url_private'],
        ['https://169.254.169.254/latest', 'webhook_url_private'],
        ['https://[fd00::1]/hook', 'webhook_url_private'],
        ['not a url', 'webhook_url_invalid'],
      ]) {
        const res = await post({ url, events: ['person.created'] });
        expect([url, res.statusCode, res.json().error.code]).toEqual([url, 400, code]);
      }
      const unknown = await post({ url: 'https://example.com/hook', events: ['person.renamed'] });
      expect(unknown.statusCode).toBe(400);
      const created = await post({ url: receiver.url, events: ['membership.joined'] });
      expect(created.statusCode).toBe(201);
      const { endpoint: ep, secret } = created.json() as { endpoint: { id: number }; secret: string };
      expect(secret).toMatch(/^whsec_/);
      const list = await app().inject({ method: 'GET', url: '/api/admin/webhooks', headers: { cookie } });
      expect(JSON.stringify(list.json())).not.toContain(secret);
      expect(list.json().endpoints).toMatchObject([
        { id: ep.id, url: receiver.url, events: ['membership.joined'], enabled: true },
      ]);

      const community = await buildCommunity(ctx);
      const person = await buildPerson(ctx);
      await addMembership(ctx, community.id, person.id, 'invited');
      await ctx.db
        .transaction()
        .execute((trx) => moveMembership(trx, community.id, person.id, ['invited'], 'joined', ctx.clock.now()));
      await drain(ctx);
      const log = await app().inject({
        method: 'GET',
        url: `/api/admin/webhooks/${ep.id}/deliveries`,
        headers: { cookie },
      });
      expect(log.statusCode).toBe(200);
      const [delivery] = log.json().deliveries as {
        id: number;
        state: string;
        lastStatus: number;
        attempts: number;
        type: string;
      }[];
      expect(delivery).toMatchObject({ type: 'membership.joined', state: 'delivered', lastStatus: 204, attempts: 1 });
      const replay = await app().inject({
        method: 'POST',
        url: `/api/admin/webhooks/${ep.id}/deliveries/${delivery!.id}/replay`,
        headers: { cookie },
      });
      expect(replay.statusCode).toBe(201);
      expect(replay.json()).toMatchObject({ state: 'queued', replayOf: delivery!.id });
      await drain(ctx);
      const [a, b] = receiver.delivered();
      expect(b!.id).toBe(a!.id);
      expect(new Webhook(secret).verify(receiver.requests[1]!.body, receiver.requests[1]!.headers)).toBeTruthy();
      const missing = await app().inject({
        method: 'POST',
        url: `/api/admin/webhooks/${ep.id}/deliveries/999999/replay`,
        headers: { cookie },
      });
      expect(missing.json().error.code).toBe('webhook_delivery_not_found');
      // rotate: the old secret no longer verifies
      const rotated = await app().inject({
        method: 'POST',
        url: `/api/admin/webhooks/${ep.id}/rotate-secret`,
        headers: { cookie },
      });
      const newSecret = rotated.json().secret as string;
      expect(newSecret).not.toBe(secret);
      await app().inject({
        method: 'POST',
        url: `/api/admin/webhooks/${ep.id}/deliveries/${delivery!.id}/replay`,
        headers: { cookie },
      });
      await drain(ctx);
      const last = receiver.requests[receiver.requests.length - 1]!;
      expect(() => new Webhook(secret).verify(last.body, last.headers)).toThrow();
      expect(new Webhook(newSecret).verify(last.body, last.headers)).toBeTruthy();
      const del = await app().inject({ method: 'DELETE', url: `/api/admin/webhooks/${ep.id}`, headers: { cookie } });
      expect(del.statusCode).toBe(200);
      expect(await deliveries(ep.id)).toEqual([]);
    });
  },
  { webhookAllowLoopback: true, webhookTimeoutMs: 1_000 },
);
