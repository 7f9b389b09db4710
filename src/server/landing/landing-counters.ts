/**
 * Visits and codes sent are counted in memory and written in one upsert per community, day and
 * metric about once a second: a public page that wrote a row on every view or send would make
 * every phone wait on the database's write lock (on SQLite, one more synced commit per request).
 * Each process adds its own counts, so several processes add up; a crash loses at most a second
 * of these counts (they are statistics, not records). Counts that happen inside a transaction
 * anyway (verified, joined, new people) are written there instead.
 */
import type { AppContext } from '../context.js';
import { bumpLandingStat, dayOf, type LandingMetric } from './landing-stat.repository.js';

const FLUSH_AFTER_MS = 1000;

interface VisitBuffer {
  counts: Map<string, number>;
  timer: NodeJS.Timeout | null;
  flushing: Promise<void> | null;
}

const buffers = new WeakMap<AppContext, VisitBuffer>();

function bufferOf(ctx: AppContext): VisitBuffer {
  let buffer = buffers.get(ctx);
  if (!buffer) {
    buffer = { counts: new Map(), timer: null, flushing: null };
    buffers.set(ctx, buffer);
  }
  return buffer;
}

/** Counts one visit of a landing page, or one code sent from it. */
export function countLandingEvent(
  ctx: AppContext,
  communityId: number,
  metric: Extract<LandingMetric, 'visits' | 'codes_sent'>,
): void {
  const buffer = bufferOf(ctx);
  const key = `${communityId}|${dayOf(ctx.clock.now())}|${metric}`;
  buffer.counts.set(key, (buffer.counts.get(key) ?? 0) + 1);
  if (!buffer.timer) {
    buffer.timer = setTimeout(() => {
      void flushLandingCounts(ctx).catch((err: unknown) => ctx.log.warn({ err }, 'landing counts not written'));
    }, FLUSH_AFTER_MS);
    buffer.timer.unref();
  }
}

/** Writes the buffered counts now (before reading the numbers, and when the app closes). */
export async function flushLandingCounts(ctx: AppContext): Promise<void> {
  const buffer = bufferOf(ctx);
  if (buffer.timer) {
    clearTimeout(buffer.timer);
    buffer.timer = null;
  }
  if (buffer.flushing) await buffer.flushing;
  if (buffer.counts.size === 0) return;
  const counts = buffer.counts;
  buffer.counts = new Map();
  buffer.flushing = ctx.db
    .transaction()
    .execute(async (trx) => {
      for (const [key, n] of counts) {
        const [communityId, day, metric] = key.split('|');
        await bumpLandingStat(trx, Number(communityId), metric as LandingMetric, Date.parse(`${day}T12:00:00Z`), n);
      }
    })
    .finally(() => {
      buffer.flushing = null;
    });
  await buffer.flushing;
}
