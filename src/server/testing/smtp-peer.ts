/**
 * A real SMTP server for tests and benchmarks (smtp-server + mailparser) on a random loopback
 * port. It collects every accepted message, and can be told to answer 4xx/5xx, hang, or drop
 * the connection for the next N messages.
 *
 *   const peer = await startSmtpPeer();
 *   createRuntime(loadConfig({ SMTP_URL: peer.url, … }))  // or createSmtpTransport({ url: peer.url, … })
 *   peer.failNext(1, 451);  await peer.waitFor(1);  peer.messages[0].subject
 *   await peer.close();
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { waitFor } from './wait-for.js';

export interface PeerMessage {
  /** MAIL FROM and RCPT TO, as the client sent them */
  readonly envelopeFrom: string;
  readonly envelopeTo: readonly string[];
  /** addresses of the To header */
  readonly to: readonly string[];
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
  /** header name (lower-case) → raw value of its first occurrence */
  readonly headers: Readonly<Record<string, string>>;
  readonly receivedAt: number;
}

/** Every message whose data arrived, and what the peer did with it. */
export interface PeerAttempt {
  readonly messageId: string;
  readonly envelopeTo: readonly string[];
  readonly outcome: 'accepted' | 'rejected' | 'hung' | 'dropped';
}

type Fault =
  { kind: 'reply'; code: number; message: string; stage: 'rcpt' | 'data' } | { kind: 'hang' } | { kind: 'drop' };

export interface SmtpPeer {
  /** smtp://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** messages accepted so far, in arrival order */
  readonly messages: readonly PeerMessage[];
  /** every message whose data arrived, including those answered with a fault */
  readonly attempts: readonly PeerAttempt[];
  /** how many times each kind of fault was applied */
  readonly faultsApplied: number;
  /** the next `count` messages get this reply (default at the end of DATA; 'rcpt' answers RCPT TO) */
  failNext(count: number, code: number, options?: { message?: string; stage?: 'rcpt' | 'data' }): void;
  /** the next `count` messages get no answer after DATA (the client's socket timeout fires) */
  hangNext(count: number): void;
  /** the connection is cut after the next `count` messages' data, before any answer */
  dropNext(count: number): void;
  /** resolves once at least `count` messages were accepted; rejects as `waitFor` does (by default, near the test's timeout) */
  waitFor(count: number, timeoutMs?: number): Promise<readonly PeerMessage[]>;
  messagesTo(address: string): PeerMessage[];
  /** answers each accepted message only after `ms` (0: at once), to keep sends in flight */
  setReplyDelay(ms: number): void;
  /** forgets messages and pending faults */
  reset(): void;
  close(): Promise<void>;
}

function addressesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list
    .flatMap((a: { value?: { address?: string }[] }) => (a.value ?? []).map((v) => v.address ?? ''))
    .filter(Boolean);
}

/**
 * Starts the peer on 127.0.0.1 (or `host`) and a free port (or `port`, e.g. to bring a "crashed" server back).
 * No TLS, no auth required. `parse: false` only counts messages (benchmarks).
 */
export async function startSmtpPeer(
  options: { parse?: boolean; port?: number; host?: string } = {},
): Promise<SmtpPeer> {
  const messages: PeerMessage[] = [];
  const attempts: PeerAttempt[] = [];
  const faults: Fault[] = [];
  let faultsApplied = 0;
  /** accepted messages whose 250 reply went out: a waiter resumes only once the client has its answer */
  let answered = 0;
  let replyDelayMs = 0;
  const parse = options.parse ?? true;

  const takeFault = (stage: 'rcpt' | 'data'): Fault | undefined => {
    const f = faults[0];
    if (!f) return undefined;
    if (stage === 'rcpt' && !(f.kind === 'reply' && f.stage === 'rcpt')) return undefined;
    if (stage === 'data' && f.kind === 'reply' && f.stage === 'rcpt') return undefined;
    faults.shift();
    faultsApplied += 1;
    return f;
  };
  const replyError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'Convene test SMTP peer',
    closeTimeout: 100,
    size: 10 * 1024 * 1024,
    onRcptTo(_address, _session, callback) {
      const f = takeFault('rcpt');
      if (f?.kind === 'reply') return callback(replyError(f.code, f.message));
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        const headEnd = raw.indexOf('\r\n\r\n');
        const head = raw.subarray(0, headEnd < 0 ? raw.length : headEnd).toString('utf8');
        const messageId = /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? '';
        const f = takeFault('data');
        const outcome = f?.kind === 'hang' ? 'hung' : f?.kind === 'drop' ? 'dropped' : f ? 'rejected' : 'accepted';
        attempts.push({ messageId, envelopeTo, outcome });
        if (f?.kind === 'hang') return;
        if (f?.kind === 'drop') {
          for (const c of server.connections) if (c.id === session.id) c._socket.destroy();
          return;
        }
        if (f?.kind === 'reply') return callback(replyError(f.code, f.message));
        const store = async () => {
          if (!parse) {
            messages.push({
              envelopeFrom,
              envelopeTo,
              to: envelopeTo,
              from: envelopeFrom,
              subject: '',
              text: '',
              html: '',
              messageId: '',
              headers: {},
              receivedAt: Date.now(),
            });
            return;
          }
          const parsed = await simpleParser(raw);
          const headers: Record<string, string> = {};
          for (const h of parsed.headerLines) {
            if (!(h.key in headers))
              headers[h.key] = h.line
                .slice(h.line.indexOf(':') + 1)
                .replace(/\r?\n[ \t]+/g, ' ')
                .trim();
          }
          messages.push({
            envelopeFrom,
            envelopeTo,
            to: addressesOf(parsed.to),
            from: addressesOf(parsed.from)[0] ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
            headers,
            receivedAt: Date.now(),
          });
        };
        store()
          .then(() => new Promise((r) => setTimeout(r, replyDelayMs)))
          .then(
            () => {
              callback();
              answered += 1;
            },
            (error: Error) => callback(replyError(554, `could not parse: ${error.message}`)),
          );
      });
    },
  });
  server.on('error', () => {});
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://${host}:${port}`,
    port,
    messages,
    attempts,
    get faultsApplied() {
      return faultsApplied;
    },
    failNext(count, code, opts = {}) {
      for (let i = 0; i < count; i++)
        faults.push({
          kind: 'reply',
          code,
          message: opts.message ?? (code >= 500 ? 'Mailbox unavailable' : 'Try again later'),
          stage: opts.stage ?? 'data',
        });
    },
    hangNext(count) {
      for (let i = 0; i < count; i++) faults.push({ kind: 'hang' });
    },
    dropNext(count) {
      for (let i = 0; i < count; i++) faults.push({ kind: 'drop' });
    },
    async waitFor(count, timeoutMs) {
      await waitFor(() => answered >= count && messages.length >= count, {
        what: () => `${count} messages at the SMTP peer (${messages.length} arrived)`,
        timeoutMs,
      });
      return messages;
    },
    messagesTo: (address) => messages.filter((m) => m.envelopeTo.includes(address)),
    setReplyDelay(ms) {
      replyDelayMs = ms;
    },
    reset() {
      messages.length = 0;
      answered = 0;
      attempts.length = 0;
      faults.length = 0;
      replyDelayMs = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.connections) c._socket.destroy();
        server.close(() => resolve());
      }),
  };
}
