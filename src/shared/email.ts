/** The admin Email log API and the unsubscribe API: request and answer shapes. */
import { z } from 'zod';
import { outboxStates } from './enums.js';

export const emailLogQuerySchema = z.object({
  state: z.enum(outboxStates).optional(),
  /** part of the recipient's address, any case */
  to: z.string().trim().max(254).optional(),
  /** an email kind: the template name, one of the page's `kinds` */
  kind: z
    .string()
    .regex(/^[a-z0-9_.]{1,100}$/, 'is not an email kind')
    .optional(),
  /** from the previous page's nextCursor */
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'is not a cursor from this list')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const emailLogItemSchema = z.object({
  id: z.number(),
  to: z.string(),
  template: z.string(),
  /** rendered now from the template and the stored data */
  subject: z.string(),
  category: z.enum(['transactional', 'marketing']),
  state: z.enum(outboxStates),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.number(),
  sentAt: z.number().nullable(),
  /** when a queued email is tried next */
  nextAttemptAt: z.number().nullable(),
});
export type EmailLogItem = z.output<typeof emailLogItemSchema>;

/**
 * The mail server as the senders last found it. `unreachable`: since when mail waits, the last
 * error and the next probe; `reachable`: it answers (the last error stays, for the record);
 * `not_configured`: no SMTP_URL, emails are kept in this log.
 */
export const emailTransportSchema = z.object({
  state: z.enum(['reachable', 'unreachable', 'not_configured']),
  unreachableSince: z.number().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.number().nullable(),
  nextProbeAt: z.number().nullable(),
});
export type EmailTransport = z.output<typeof emailTransportSchema>;

export const emailLogPageSchema = z.object({
  items: z.array(emailLogItemSchema),
  nextCursor: z.string().nullable(),
  /** every email kind the site sends, for the kind filter */
  kinds: z.array(z.string()),
  transport: emailTransportSchema,
});
export type EmailLogPage = z.output<typeof emailLogPageSchema>;

export const emailDetailSchema = emailLogItemSchema.extend({
  messageId: z.string(),
  /** null when hidden: a sign-in email that went out (its code is the person's alone) */
  text: z.string().nullable(),
  html: z.string().nullable(),
  headers: z.record(z.string(), z.string()),
  contentHidden: z.boolean(),
  expiresAt: z.number().nullable(),
});
export type EmailDetail = z.output<typeof emailDetailSchema>;

export const testEmailRequestSchema = z.object({ to: z.email().max(254) });
/** The queued test email's id in the log. */
export const testEmailAnswerSchema = z.object({ id: z.number().int() });

export const unsubscribeTokenParams = z.object({ token: z.string().min(3).max(600) });

export const unsubscribeStatusSchema = z.object({
  /** the address, partly masked */
  email: z.string(),
  unsubscribed: z.boolean(),
});
export type UnsubscribeStatus = z.output<typeof unsubscribeStatusSchema>;
