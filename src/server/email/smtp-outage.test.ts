/**
 * A 2-minute SMTP outage on the sender's clock: a server that answers every connection with
 * "421 Service not available". The messages in flight when it is found down spend one attempt;
 * after that the sender probes the server, one connection per interval with backoff, and tries
 * no message until it answers; the Email log says since when mail waits. When a real server is
 * back on the same port, the next probe finds it and every message goes out.
 */
import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { buildAdmin, sessionCookie } from '../testing/factories.js';
import { type SmtpPeer, startSmtpPeer } from '../testing/smtp-peer.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { waitFor } from '../testing/wait-for.js';
import { registries } from '../modules.js';
import { enqueueEmails } from './outbox.repository.js';
import { type EmailSender, startEmailSender } from './sender.js';
import { findEmailTransportState } from './transport-state.repository.js';
import { createSmtpTransport, type MailTransport } from './transport.js';

/** A server that refuses service at the greeting, as a mail server that is shutting down does. */
async function startRefusingServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.end('421 4.3.2 Service not available, closing transmission channel\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const total = 40;
const outageMs = 2 * 60_000;

describeEachDb(
  'email sender during an SMTP outage',
  (t) => {
    const app = useTestApp(t);
    let sender: EmailSender | undefined;
    let transport: MailTransport | undefined;
    let peer: SmtpPeer | undefined;
    afterEach(async () => {
      await sender?.stop();
      transport?.close();
      await peer?.close();
    });

    it('probes the server instead of spending attempts, and resumes when it answers', async () => {
      const admin = await buildAdmin(t().ctx);
      const cookie = await sessionCookie(t().ctx, admin.id);
      const transportOf = async () =>
        (await app().inject({ method: 'GET', url: '/api/admin/emails?limit=1', headers: { cookie } })).json().transport;
      const emails = Array.from({ length: total }, (_, i) => ({
        dedupeKey: `outage:${i}`,
        to: `outage${i}@example.test`,
        template: 'test_email',
        payload: {},
        category: 'transactional' as const,
      }));
      await enqueueEmails(t().ctx.db, emails, t().clock.now(), 'localhost');
      const attempts = async () =>
        (await t().ctx.db.selectFrom('email_outbox').select(['attempts', 'state']).execute()).map((r) => r.attempts);

      const down = await startRefusingServer();
      transport = createSmtpTransport({ url: `smtp://127.0.0.1:${down.port}`, from: 'Convene <no-reply@localhost>' });
      const start = t().clock.now();
      sender = startEmailSender(t().ctx, {
        transport,
        templates: registries.emailTemplates,
        hooks: registries.deliveryHooks,
        pollMs: 10,
      });
      const found = await waitFor(async () => (await findEmailTransportState(t().ctx.db))?.unreachable_since, {
        what: 'the sender to find the server unreachable',
      });
      expect(found).toBe(start);
      expect(await transportOf()).toMatchObject({
        state: 'unreachable',
        unreachableSince: start,
        lastError: expect.stringMatching(/^421 /),
        nextProbeAt: expect.any(Number),
      });
      const spent = (await attempts()).filter((n) => n > 0).length;
      expect(spent).toBeGreaterThan(0);
      expect(Math.max(...(await attempts()))).toBe(1);

      // Two minutes on the sender's clock, one probe at a time: each probe is one connection.
      let probes = 0;
      for (;;) {
        const state = await findEmailTransportState(t().ctx.db);
        const probeAt = state!.next_probe_at!;
        if (probeAt - start > outageMs) break;
        const before = down.connections();
        t().clock.set(probeAt);
        await waitFor(
          async () => (await findEmailTransportState(t().ctx.db))!.next_probe_at! > probeAt && down.connections(),
          { what: `probe ${probes + 1}` },
        );
        probes += 1;
        expect(down.connections()).toBe(before + 1);
      }
      expect(probes).toBeGreaterThanOrEqual(5);
      expect((await attempts()).filter((n) => n > 0).length).toBe(spent);
      expect(Math.max(...(await attempts()))).toBe(1);

      // The server is back: the next probe finds it, and every message goes out once.
      await down.close();
      peer = await startSmtpPeer({ port: down.port });
      t().clock.set((await findEmailTransportState(t().ctx.db))!.next_probe_at!);
      await peer.waitFor(total);
      await waitFor(
        async () =>
          (await t().ctx.db.selectFrom('email_outbox').select('state').where('state', '!=', 'sent').execute())
            .length === 0,
        { what: 'every email to be recorded as sent' },
      );
      expect(new Set(peer.messages.map((m) => m.messageId)).size).toBe(total);
      expect(peer.messages.length).toBe(total);
      expect(Math.max(...(await attempts()))).toBeLessThanOrEqual(2);
      expect(await transportOf()).toMatchObject({ state: 'reachable', unreachableSince: null, nextProbeAt: null });
    });
  },
  { smtpUrl: 'smtp://mail.example.test:25' },
);
