/**
 * The email sender loop: claims due outbox rows in batches under a lease, delivers them over a
 * few parallel SMTP connections (optionally throttled), and pauses all sending while the SMTP
 * server is unreachable so that waiting messages do not use up their attempts.
 */
import { performance } from 'node:perf_hooks';
import type { AppContext } from '../context.js';
import { isDatabaseUnavailable } from '../db/database-unavailable.js';
import type { EmailOutboxRow } from '../db/schema.js';
import { backoffDelay } from '../jobs/backoff.js';
import { delay, startPollLoop } from '../jobs/poll-loop.js';
import type { DeliveryHook } from './delivery-hooks.js';
import { deliverClaimedEmail, type DeliveryDeps } from './delivery.js';
import { groupCommitter } from './group-commit.js';
import { claimOutboxBatch, releaseOutboxRows, requeueAbandonedEmails } from './outbox.repository.js';
import type { EmailTemplateMap } from './templates.js';
import { type MailTransport, transportFromConfig } from './transport.js';

export interface EmailSenderOptions {
  /** default: SMTP_URL's pooled transport, or null (keep emails) without SMTP_URL */
  readonly transport?: MailTransport | null;
  /** every module's templates (modules.ts) */
  readonly templates: EmailTemplateMap;
  /** every module's delivery hooks (modules.ts) */
  readonly hooks: readonly DeliveryHook[];
  /**
   * messages in progress at once; default 16. More lanes than SMTP connections on purpose: while
   * some lanes wait for their outcome's commit, others send, and commits are shared.
   */
  readonly concurrency?: number;
  readonly batchSize?: number;
  readonly pollMs?: number;
  /** how long a claimed row stays ours; a sender that dies holds its rows this long */
  readonly leaseMs?: number;
  /** default: config.emailRatePerSecond; 0 = unthrottled */
  readonly ratePerSecond?: number;
  readonly retryBaseMs?: number;
  readonly retryCapMs?: number;
  readonly maxAttempts?: number;
  /** first pause after the SMTP server was unreachable (doubles, with jitter, up to pauseCapMs) */
  readonly pauseBaseMs?: number;
  readonly pauseCapMs?: number;
}

const defaults = {
  concurrency: 16,
  batchSize: 100,
  pollMs: 400,
  leaseMs: 5 * 60_000,
  retryBaseMs: 60_000,
  retryCapMs: 2 * 60 * 60_000,
  maxAttempts: 40,
  pauseBaseMs: 1_000,
  pauseCapMs: 60_000,
};

export interface EmailSender {
  stop(): Promise<void>;
  wake(): void;
}

/** Spaces sends `1000 / rate` ms apart across all parallel lanes (0 = no wait). */
function throttle(ratePerSecond: number): (() => Promise<void>) | undefined {
  if (ratePerSecond <= 0) return undefined;
  const gap = 1000 / ratePerSecond;
  let nextFree = 0;
  return async () => {
    const now = performance.now();
    const at = Math.max(now, nextFree);
    nextFree = at + gap;
    if (at > now) await delay(at - now);
  };
}

interface SenderState {
  pauseLevel: number;
  pausedUntil: number;
  requeuedAt?: number;
}

/**
 * Claims one batch and delivers it. Returns how many rows were claimed (0: nothing due).
 * Stops early when the server is unreachable or `stopping()` says so; rows not yet tried go back.
 */
export async function sendDueEmails(
  ctx: AppContext,
  deps: DeliveryDeps & { concurrency: number; batchSize: number; leaseMs: number },
  state: SenderState = { pauseLevel: 0, pausedUntil: 0 },
  stopping: () => boolean = () => false,
  pause = { base: defaults.pauseBaseMs, cap: defaults.pauseCapMs },
): Promise<number> {
  const now = ctx.clock.now();
  // Every few seconds, rows whose sender died mid-delivery (lease expired) become due again.
  if (state.requeuedAt === undefined || performance.now() - state.requeuedAt > 5_000) {
    state.requeuedAt = performance.now();
    const n = await requeueAbandonedEmails(ctx.db, now);
    if (n) ctx.log.warn({ count: n }, 'emails requeued: their sender stopped while sending them');
  }
  const rows = await claimOutboxBatch(ctx.db, now, now + deps.leaseMs, deps.batchSize);
  if (rows.length === 0) return 0;
  let next = 0;
  let unreachable = false;
  let databaseGone: unknown;
  const lane = async () => {
    while (next < rows.length && !unreachable && databaseGone === undefined && !stopping()) {
      const row: EmailOutboxRow = rows[next++];
      try {
        if ((await deliverClaimedEmail(ctx, row, deps)) === 'unreachable') unreachable = true;
      } catch (error) {
        // Recording failed: the row stays 'sending' and is retried after its lease. When the
        // database is gone, the rest of the batch waits too (the poll loop reports the outage once).
        if (isDatabaseUnavailable(error)) databaseGone = error;
        else ctx.log.error({ err: error, email: row.id }, 'email delivery could not be recorded');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency, rows.length) }, lane));
  if (databaseGone !== undefined) {
    // Handed back if the database is already back; otherwise their lease runs out.
    await releaseOutboxRows(ctx.db, rows.slice(next), ctx.clock.now()).catch(() => {});
    throw databaseGone;
  }
  if (next < rows.length) await releaseOutboxRows(ctx.db, rows.slice(next), ctx.clock.now());
  if (unreachable) {
    state.pauseLevel += 1;
    state.pausedUntil = performance.now() + backoffDelay(state.pauseLevel, pause.base, pause.cap);
    ctx.log.warn({ pauseLevel: state.pauseLevel }, 'SMTP server unreachable; email sending paused');
  } else {
    state.pauseLevel = 0;
  }
  return rows.length;
}

export function senderDeps(
  ctx: AppContext,
  options: EmailSenderOptions,
): DeliveryDeps & { concurrency: number; batchSize: number; leaseMs: number } {
  const rate = options.ratePerSecond ?? ctx.config.emailRatePerSecond;
  const batchSize = options.batchSize ?? defaults.batchSize;
  return {
    transport: options.transport === undefined ? transportFromConfig(ctx.config) : options.transport,
    templates: options.templates,
    hooks: options.hooks,
    retryBaseMs: options.retryBaseMs ?? defaults.retryBaseMs,
    retryCapMs: options.retryCapMs ?? defaults.retryCapMs,
    maxAttempts: options.maxAttempts ?? defaults.maxAttempts,
    beforeSend: throttle(rate),
    inTransaction: groupCommitter(ctx.db),
    concurrency: options.concurrency ?? defaults.concurrency,
    // When throttled, claim about ten seconds of work at a time, well inside the lease.
    batchSize: rate > 0 ? Math.max(1, Math.min(batchSize, Math.ceil(rate * 10))) : batchSize,
    leaseMs: options.leaseMs ?? defaults.leaseMs,
  };
}

export function startEmailSender(ctx: AppContext, options: EmailSenderOptions): EmailSender {
  const deps = senderDeps(ctx, options);
  const state: SenderState = { pauseLevel: 0, pausedUntil: 0 };
  let stopped = false;
  const pause = { base: options.pauseBaseMs ?? defaults.pauseBaseMs, cap: options.pauseCapMs ?? defaults.pauseCapMs };
  const loop = startPollLoop(
    'email sender',
    async () => {
      if (stopped || performance.now() < state.pausedUntil) return false;
      return (await sendDueEmails(ctx, deps, state, () => stopped, pause)) > 0 && state.pauseLevel === 0;
    },
    { intervalMs: options.pollMs ?? defaults.pollMs, log: ctx.log },
  );
  return {
    wake: () => loop.wake(),
    stop: async () => {
      stopped = true;
      await loop.stop();
      // Only a transport made here is ours to close.
      if (options.transport === undefined) deps.transport?.close();
    },
  };
}
