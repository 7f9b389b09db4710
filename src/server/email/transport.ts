/**
 * SMTP delivery through nodemailer's pooled transport, and how a failure is read: a 5xx reply to
 * the recipient or the message is a bounce; a 4xx reply is worth retrying; a connection, socket
 * or timeout error means the server is unreachable, and every message waits.
 */
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** the outbox row's Message-ID, the same on every attempt */
  readonly messageId: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  /** connects and greets the server without sending anything; rejects as send() would */
  probe(): Promise<void>;
  close(): void;
}

export interface SmtpTransportOptions {
  readonly url: string;
  readonly from: string;
  readonly maxConnections?: number;
  readonly connectionTimeoutMs?: number;
  readonly greetingTimeoutMs?: number;
  readonly socketTimeoutMs?: number;
}

export function createSmtpTransport(options: SmtpTransportOptions): MailTransport {
  const transporter = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: options.maxConnections ?? 8,
    maxMessages: 1000,
    // The pool must not resend on its own: the outbox row decides, so every attempt is counted.
    maxRequeues: 0,
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    greetingTimeout: options.greetingTimeoutMs ?? 10_000,
    socketTimeout: options.socketTimeoutMs ?? 30_000,
  });
  return {
    async send(message) {
      await transporter.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        headers: message.headers ? { ...message.headers } : undefined,
      });
    },
    async probe() {
      await transporter.verify();
    },
    close: () => transporter.close(),
  };
}

/** The transport of this process's config, or null when SMTP_URL is not set (emails are kept). */
export function transportFromConfig(config: Config): MailTransport | null {
  return config.smtpUrl ? createSmtpTransport({ url: config.smtpUrl, from: config.mailFrom }) : null;
}

export type SendFailure =
  /** the server refused this recipient or message for good */
  | { readonly kind: 'bounced'; readonly message: string }
  /** a 4xx reply (greylisting, mailbox busy): try this message again later */
  | { readonly kind: 'deferred'; readonly message: string }
  /** no usable connection (refused, dropped, timed out, auth): the server, not the message */
  | { readonly kind: 'unreachable'; readonly message: string };

interface SmtpError {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  message?: string;
}

/** Reads a nodemailer error. Never keeps more of the server's answer than its first line. */
export function classifySendError(error: unknown): SendFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SmtpError;
  const reply = (e.response ?? e.message ?? String(error)).split(/\r?\n/)[0].slice(0, 300);
  const code = e.responseCode;
  // A 5xx to RCPT TO or to the message is about this recipient; a 5xx to AUTH or MAIL FROM is our
  // own configuration, which must not put a person's address on the suppression list.
  const aboutRecipient =
    e.code === 'EENVELOPE' ? /RCPT/i.test(e.command ?? 'RCPT') : e.code === 'EMESSAGE' || e.command === 'DATA';
  if (code !== undefined && code >= 500 && code < 600 && code !== 503 && aboutRecipient)
    return { kind: 'bounced', message: reply };
  if (code !== undefined && code >= 400 && code < 500 && code !== 421 && e.code !== 'EAUTH')
    return { kind: 'deferred', message: reply };
  return { kind: 'unreachable', message: reply };
}
