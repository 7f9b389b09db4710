/**
 * The email sender loop: claims due outbox rows in batches under a lease, delivers them over a
 * few parallel SMTP connections (optionally throttled), renewing short leases as it goes. While the
 * SMTP server is unreachable it stops sending and probes the server with backoff, so that waiting
 * messages do not use up their attempts.
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
import { claimOutboxBatch, releaseOutboxRows, renewOutboxLease, requeueAbandonedEmails } from './outbox.repository.js';
import type { EmailTemplateMap } from './templates.js';
import { classifySendError, type MailTransport, transportFromConfig } from './transport.js';
import {
  clearEmailTransportOutage,
  findEmailTransportState,
  recordEmailTransportUnreachable,
} from './transport-state.repository.js';

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
  /**
   * how long a claimed row stays ours without renewal; renewed every third of it while the batch
   * is being sent, so a sender that dies holds its rows at most this long
   */
  readonly leaseMs?: number;
  /** default: config.emailRatePerSecond; 0 = unthrottled */
  readonly ratePerSecond?: number;
  readonly retryBaseMs?: number;
  readonly retryCapMs?: number;
  readonly maxAttempts?: number;
  /** while the SMTP server is unreachable, the first probe comes after this (doubles, with jitter, up to probeCapMs) */
  readonly probeBaseMs?: number;
  readonly probeCapMs?: number;
}

const defaults = {
  concurrency: 16,
  batchSize: 100,
  pollMs: 400,
  leaseMs: 15_000,
  retryBaseMs: 60_000,
  retryCapMs: 2 * 60 * 60_000,
  maxAttempts: 40,
  probeBaseMs: 1_000,
  // Short enough that mail flows again within seconds of the server's return; one connection
  // attempt per interval costs the server nothing.
  probeCapMs: 15_000,
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

/**
 * Renews the lease of a claimed batch every third of the lease until stopped. A renewal that
 * fails (database briefly gone) is retried at the next tick; if none succeeds the rows come back
 * after the lease, as a dead sender's would.
 */
function keepLease(ctx: AppContext, rows: readonly EmailOutboxRow[], leaseMs: number): () => void {
  let renewing = false;
  const timer = setInterval(
    () => {
      if (renewing) return;
      renewing = true;
      const now = ctx.clock.now();
      renewOutboxLease(ctx.db, rows, now + leaseMs, now)
        .catch((error: unknown) => ctx.log.warn({ err: error }, 'email lease renewal failed; will retry'))
        .finally(() => (renewing = false));
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return () => clearInterval(timer);
}

/** While the SMTP server is unreachable: since when, probes so far, and when to probe next (clock ms). */
interface TransportOutage {
  readonly since: number;
  probes: number;
  probeAt: number;
}

export interface SenderState {
  outage?: TransportOutage;
  requeuedAt?: number;
}

/** How often the sender probes an unreachable SMTP server: `base`, doubling (with jitter) up to `cap`. */
export interface ProbeSchedule {
  readonly base: number;
  readonly cap: number;
}

type SenderDeps = DeliveryDeps & { concurrency: number; batchSize: number; leaseMs: number };

/**
 * While the server is unreachable, one probe when it is due (connect and greet, nothing sent).
 * Returns whether sending may go on.
 */
async function probeIfUnreachable(
  ctx: AppContext,
  deps: SenderDeps,
  state: SenderState,
  schedule: ProbeSchedule,
): Promise<boolean> {
  const outage = state.outage;
  if (!outage || !deps.transport) return true;
  const now = ctx.clock.now();
  if (now < outage.probeAt) return false;
  try {
    await deps.transport.probe();
  } catch (error) {
    outage.probes += 1;
    outage.probeAt = now + backoffDelay(outage.probes + 1, schedule.base, schedule.cap);
    const { message } = classifySendError(error);
    await recordEmailTransportUnreachable(ctx.db, { at: now, error: message, nextProbeAt: outage.probeAt });
    return false;
  }
  state.outage = undefined;
  await clearEmailTransportOutage(ctx.db, ctx.clock.now());
  ctx.log.info({ probes: outage.probes + 1, since: outage.since }, 'SMTP server answers again; email sending resumes');
  return true;
}

async function noteUnreachable(
  ctx: AppContext,
  state: SenderState,
  schedule: ProbeSchedule,
  error: string,
): Promise<void> {
  const now = ctx.clock.now();
  state.outage ??= { since: now, probes: 0, probeAt: now };
  state.outage.probeAt = now + backoffDelay(state.outage.probes + 1, schedule.base, schedule.cap);
  await recordEmailTransportUnreachable(ctx.db, { at: now, error, nextProbeAt: state.outage.probeAt });
  ctx.log.warn({ reply: error }, 'SMTP server unreachable; email sending stops and the server is probed');
}

/**
 * Claims one batch and delivers it. Returns how many rows were claimed (0: nothing due, or the
 * SMTP server is unreachable and not yet due for a probe). Stops early when the server turns out
 * unreachable or `stopping()` says so; rows not yet tried go back unspent.
 */
export async function sendDueEmails(
  ctx: AppContext,
  deps: SenderDeps,
  state: SenderState = {},
  stopping: () => boolean = () => false,
  schedule: ProbeSchedule = { base: defaults.probeBaseMs, cap: defaults.probeCapMs },
): Promise<number> {
  if (!(await probeIfUnreachable(ctx, deps, state, schedule))) return 0;
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
  let unreachable: string | undefined;
  let answered = false;
  let databaseGone: unknown;
  const lane = async () => {
    while (next < rows.length && unreachable === undefined && databaseGone === undefined && !stopping()) {
      const row: EmailOutboxRow = rows[next++];
      try {
        const verdict = await deliverClaimedEmail(ctx, row, deps);
        if (verdict === 'done') answered = true;
        else unreachable ??= verdict.unreachable;
      } catch (error) {
        // Recording failed: the row stays 'sending' and is retried after its lease. When the
        // database is gone, the rest of the batch waits too (the poll loop reports the outage once).
        if (isDatabaseUnavailable(error)) databaseGone = error;
        else ctx.log.error({ err: error, email: row.id }, 'email delivery could not be recorded');
      }
    }
  };
  const stopRenewing = keepLease(ctx, rows, deps.leaseMs);
  try {
    await Promise.all(Array.from({ length: Math.min(deps.concurrency, rows.length) }, lane));
  } finally {
    stopRenewing();
  }
  if (databaseGone !== undefined) {
    // Handed back if the database is already back; otherwise their lease runs out.
    await releaseOutboxRows(ctx.db, rows.slice(next), ctx.clock.now()).catch(() => {});
    throw databaseGone;
  }
  if (next < rows.length) await releaseOutboxRows(ctx.db, rows.slice(next), ctx.clock.now());
  if (unreachable !== undefined) await noteUnreachable(ctx, state, schedule, unreachable);
  // Another sender may have reported an outage that is over: the banner goes once mail flows.
  else if (answered && deps.transport && (await findEmailTransportState(ctx.db))?.unreachable_since != null)
    await clearEmailTransportOutage(ctx.db, ctx.clock.now());
  return rows.length;
}

export function senderDeps(ctx: AppContext, options: EmailSenderOptions): SenderDeps {
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
  const state: SenderState = {};
  let stopped = false;
  const schedule = {
    base: options.probeBaseMs ?? defaults.probeBaseMs,
    cap: options.probeCapMs ?? defaults.probeCapMs,
  };
  const loop = startPollLoop(
    'email sender',
    async () => {
      if (stopped) return false;
      return (await sendDueEmails(ctx, deps, state, () => stopped, schedule)) > 0 && state.outage === undefined;
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
