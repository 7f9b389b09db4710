/** The admin Email log: every outbox row, newest first, rendered so that kept emails can be read. */
import type { EmailDetail, EmailLogItem, EmailLogPage, EmailTransport } from '../../shared/email.js';
import type { OutboxState } from '../../shared/enums.js';
import type { Caller } from '../http/caller.js';
import type { AppContext } from '../context.js';
import type { EmailOutboxRow } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import { findOutboxRow, listOutboxRows } from './outbox.repository.js';
import { findEmailTransportState } from './transport-state.repository.js';
import { queueEmail } from './outbox.service.js';
import type { RenderedEmail } from './template.js';
import { type EmailTemplateMap, getEmailTemplate, renderEmail } from './templates.js';
import { MAX_ROW_ID } from '../db/row-id.js';

function requireSiteAdmin(caller: Caller): void {
  if (caller.person.is_admin !== 1) throw new AppError('forbidden');
}

function tryRender(ctx: AppContext, row: EmailOutboxRow, templates: EmailTemplateMap): RenderedEmail | undefined {
  try {
    return renderEmail(row.template, JSON.parse(row.payload), ctx.config, templates);
  } catch {
    return undefined;
  }
}

/** A sensitive email (a sign-in code) is its recipient's alone, whether it was sent or kept. */
function isHidden(row: EmailOutboxRow, templates: EmailTemplateMap): boolean {
  try {
    return getEmailTemplate(row.template, templates).sensitive === true;
  } catch {
    return true; // an unknown template: nothing to show
  }
}

function toItem(row: EmailOutboxRow, rendered: RenderedEmail | undefined, templates: EmailTemplateMap): EmailLogItem {
  const subject = rendered?.subject ?? `(template "${row.template}" cannot be shown)`;
  return {
    id: row.id,
    to: row.to_address,
    template: row.template,
    // Sign-in codes sit in the subject: an admin reading the log must not be able to read them.
    subject: isHidden(row, templates) ? subject.replace(/\d/g, '•') : subject,
    category: row.category,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    nextAttemptAt: row.state === 'queued' ? row.next_attempt_at : null,
  };
}

async function transportState(ctx: AppContext): Promise<EmailTransport> {
  const row = await findEmailTransportState(ctx.db);
  const unreachable = row?.unreachable_since != null;
  return {
    state: unreachable ? 'unreachable' : ctx.config.smtpUrl ? 'reachable' : 'not_configured',
    unreachableSince: row?.unreachable_since ?? null,
    lastError: row?.last_error ?? null,
    lastErrorAt: row?.last_error_at ?? null,
    nextProbeAt: unreachable ? (row?.next_probe_at ?? null) : null,
  };
}

export async function listEmailLog(
  ctx: AppContext,
  caller: Caller,
  query: { state?: OutboxState; to?: string; kind?: string; cursor?: string; limit?: number },
  templates: EmailTemplateMap,
): Promise<EmailLogPage> {
  requireSiteAdmin(caller);
  const kinds = Object.keys(templates).sort();
  if (query.kind !== undefined && !kinds.includes(query.kind)) throw new AppError('email_kind_unknown');
  const limit = query.limit ?? 50;
  const rows = await listOutboxRows(ctx.db, {
    state: query.state,
    template: query.kind,
    toContains: query.to || undefined,
    beforeId: query.cursor ? Math.min(Number(query.cursor), MAX_ROW_ID) : undefined,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => toItem(row, tryRender(ctx, row, templates), templates)),
    nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
    kinds,
    transport: await transportState(ctx),
  };
}

/**
 * One email with its text and HTML. A sensitive email (a sign-in code) never shows its content
 * or the code in its subject: the code is for the person it went to, not for admins.
 */
export async function getEmailLogEntry(
  ctx: AppContext,
  caller: Caller,
  id: number,
  templates: EmailTemplateMap,
): Promise<EmailDetail> {
  requireSiteAdmin(caller);
  const row = await findOutboxRow(ctx.db, id);
  if (!row) throw notFound('Email');
  const rendered = tryRender(ctx, row, templates);
  const hidden = isHidden(row, templates);
  return {
    ...toItem(row, rendered, templates),
    messageId: row.message_id,
    text: hidden ? null : (rendered?.text ?? null),
    html: hidden ? null : (rendered?.html ?? null),
    headers: { ...(rendered?.headers ?? {}) },
    contentHidden: hidden,
    expiresAt: row.expires_at,
  };
}

/** Queues a test email to `to`, so that an admin can check delivery. */
export async function sendTestEmail(ctx: AppContext, caller: Caller, to: string): Promise<{ id: number }> {
  requireSiteAdmin(caller);
  const now = ctx.clock.now();
  const id = await queueEmail(ctx, ctx.db, {
    dedupeKey: `test_email:${caller.person.id}:${now}:${to.toLowerCase()}`,
    to: to.toLowerCase(),
    template: 'test_email',
    payload: { requestedBy: caller.person.email ?? `person ${caller.person.id}` },
    category: 'transactional',
  });
  if (id === undefined) throw new AppError('conflict', 'A test email to that address was just queued.');
  return { id };
}
