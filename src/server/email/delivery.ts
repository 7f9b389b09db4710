/**
 * Delivers one claimed outbox row and records what happened, in one transaction with the
 * delivery hooks: sent; kept (no SMTP); dropped (expired, suppressed, unknown template);
 * bounced (5xx: failed and the address suppressed); or back to queued with backoff (4xx, and
 * connection errors — due again at once, and the caller stops sending and probes the server).
 */
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { EmailOutboxRow } from '../db/schema.js';
import { maskEmail, maskEmailsIn } from '../log.js';
import { emailOutcomes } from '../metrics/process-metrics.js';
import { backoffDelay, errorText } from '../jobs/backoff.js';
import type { DeliveryHook, DeliveryOutcome } from './delivery-hooks.js';
import { isSuppressed, type OutboxUpdate, recordOutboxOutcome } from './outbox.repository.js';
import { suppressBouncedAddress } from './suppression.repository.js';
import type { RenderedEmail } from './template.js';
import { type EmailTemplateMap, renderEmail } from './templates.js';
import { classifySendError, type MailTransport } from './transport.js';

export interface DeliveryDeps {
  /** null: no SMTP_URL, the email is kept for reading */
  readonly transport: MailTransport | null;
  readonly templates: EmailTemplateMap;
  readonly hooks: readonly DeliveryHook[];
  readonly retryBaseMs: number;
  readonly retryCapMs: number;
  /** attempts before a deferred email fails for good */
  readonly maxAttempts: number;
  /** waits for the throttle, if any */
  readonly beforeSend?: () => Promise<void>;
  /** runs `work` in a transaction; the sender shares commits among its lanes (group-commit.ts) */
  readonly inTransaction?: (work: (trx: DbOrTrx) => Promise<void>) => Promise<void>;
}

/** What the sender should do next: go on, or stop sending and probe because the SMTP server is unreachable. */
export type DeliveryVerdict = 'done' | { readonly unreachable: string };

async function record(
  ctx: AppContext,
  row: EmailOutboxRow,
  deps: DeliveryDeps,
  update: OutboxUpdate,
  outcome?: DeliveryOutcome,
  bounce?: string,
): Promise<void> {
  const inTransaction = deps.inTransaction ?? ((work) => ctx.db.transaction().execute(work));
  const final = update.state === 'queued' ? update : { ...update, payload: payloadWithoutSecrets(row, deps) };
  let recorded = false;
  await inTransaction(async (trx) => {
    recorded = await recordOutboxOutcome(trx, row.id, row.attempts, final);
    if (!recorded) return;
    if (bounce !== undefined) await suppressBouncedAddress(trx, row.to_address, bounce, update.at);
    if (outcome) {
      for (const hook of deps.hooks) {
        await hook(trx, { outboxId: row.id, template: row.template, to: row.to_address, outcome, at: update.at });
      }
    }
  });
  // Counted once committed; deferred (4xx) and unreachable are the kind at the head of a retry's error.
  if (recorded)
    emailOutcomes.inc({ outcome: outcome ?? (update.state === 'queued' ? update.error.split(':')[0] : update.state) });
}

/** The row's payload with the template's secret fields blanked, or undefined when there are none. */
function payloadWithoutSecrets(row: EmailOutboxRow, deps: DeliveryDeps): string | undefined {
  const secrets = deps.templates[row.template]?.secrets ?? [];
  if (secrets.length === 0) return undefined;
  try {
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    for (const field of secrets) if (field in payload) payload[field] = null;
    return JSON.stringify(payload);
  } catch {
    return JSON.stringify({});
  }
}

const fail = (ctx: AppContext, row: EmailOutboxRow, deps: DeliveryDeps, error: string, outcome: DeliveryOutcome) =>
  record(ctx, row, deps, { state: 'failed', at: ctx.clock.now(), error }, outcome);

export async function deliverClaimedEmail(
  ctx: AppContext,
  row: EmailOutboxRow,
  deps: DeliveryDeps,
): Promise<DeliveryVerdict> {
  const log = ctx.log.child({ email: row.id, template: row.template, attempt: row.attempts });
  const expired = () => row.expires_at !== null && row.expires_at <= ctx.clock.now();
  if (expired()) {
    await fail(ctx, row, deps, 'expired', 'expired');
    return 'done';
  }
  if (row.attempts > deps.maxAttempts) {
    await fail(
      ctx,
      row,
      deps,
      `gave up after ${row.attempts - 1} attempts: ${row.last_error ?? 'unknown error'}`,
      'failed',
    );
    return 'done';
  }
  if (await isSuppressed(ctx.db, row.to_address, row.category)) {
    await fail(ctx, row, deps, 'suppressed', 'suppressed');
    return 'done';
  }
  let rendered: RenderedEmail;
  try {
    rendered = renderEmail(row.template, JSON.parse(row.payload), ctx.config, deps.templates);
  } catch (error) {
    log.error({ err: error }, 'email template failed to render');
    await fail(ctx, row, deps, `template: ${errorText(error)}`, 'failed');
    return 'done';
  }
  if (!deps.transport) {
    await record(ctx, row, deps, { state: 'kept', at: ctx.clock.now() }, 'kept');
    if (ctx.config.printEmails) {
      // Printed plainly (not as a JSON log line) so that a developer can read the code.
      console.log(
        `\n--- Email kept (no SMTP_URL set; also in Admin → Email log) ---\nTo: ${row.to_address}\nSubject: ${rendered.subject}\n\n${rendered.text}\n---\n`,
      );
    }
    return 'done';
  }
  await deps.beforeSend?.();
  if (expired()) {
    await fail(ctx, row, deps, 'expired', 'expired');
    return 'done';
  }
  try {
    await deps.transport.send({
      to: row.to_address,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: row.message_id,
      headers: rendered.headers,
    });
  } catch (error) {
    const failure = classifySendError(error);
    const now = ctx.clock.now();
    if (failure.kind === 'bounced') {
      log.warn(
        { to: maskEmail(row.to_address), reply: maskEmailsIn(failure.message) },
        'email bounced; address suppressed',
      );
      await record(
        ctx,
        row,
        deps,
        { state: 'failed', at: now, error: `bounced: ${failure.message}` },
        'bounced',
        failure.message,
      );
    } else if (row.attempts >= deps.maxAttempts) {
      await fail(ctx, row, deps, `gave up after ${row.attempts} attempts: ${failure.message}`, 'failed');
    } else {
      // Unreachable is about the server, not this message: it is due again at once, and the sender
      // probes the server instead of trying messages until it answers, so an outage costs a
      // message at most this one attempt.
      const retryAt =
        failure.kind === 'unreachable' ? now : now + backoffDelay(row.attempts, deps.retryBaseMs, deps.retryCapMs);
      log.warn(
        { reply: maskEmailsIn(failure.message), kind: failure.kind, retryAt },
        'email not delivered; will retry',
      );
      await record(ctx, row, deps, { state: 'queued', at: now, error: `${failure.kind}: ${failure.message}`, retryAt });
    }
    return failure.kind === 'unreachable' ? { unreachable: failure.message } : 'done';
  }
  await record(ctx, row, deps, { state: 'sent', at: ctx.clock.now() }, 'sent');
  return 'done';
}
