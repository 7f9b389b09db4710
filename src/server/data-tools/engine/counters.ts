/** Counts by outcome and by skip reason, as kept in data_job.counters and the dry run. */
import type { RowOutcome } from './job-kind.js';

export interface Counters {
  outcomes: Record<string, number>;
  reasons: Record<string, number>;
  /** invitations revoked by Undo */
  revoked?: number;
}

export function emptyCounters(): Counters {
  return { outcomes: {}, reasons: {} };
}

export function parseCounters(text: string | null): Counters {
  const c = text ? (JSON.parse(text) as Partial<Counters>) : {};
  return {
    outcomes: c.outcomes ?? {},
    reasons: c.reasons ?? {},
    ...(c.revoked !== undefined ? { revoked: c.revoked } : {}),
  };
}

/** Adds a batch's outcomes to `counters` (in place) and returns it. */
export function addOutcomes(counters: Counters, outcomes: readonly RowOutcome[]): Counters {
  for (const o of outcomes) {
    counters.outcomes[o.outcome] = (counters.outcomes[o.outcome] ?? 0) + 1;
    if (o.reason) counters.reasons[o.reason] = (counters.reasons[o.reason] ?? 0) + 1;
  }
  return counters;
}
