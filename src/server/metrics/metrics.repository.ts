/** Queue figures for /metrics: how much work waits, and how long the oldest has waited. */
import type { DbOrTrx } from '../db/db.js';

export interface QueueFigures {
  readonly byState: readonly { readonly state: string; readonly n: number }[];
  /** the due time of the oldest item due now, or null when none is */
  readonly oldestDueAt: number | null;
}

export async function jobQueueFigures(db: DbOrTrx, now: number): Promise<QueueFigures> {
  const byState = await db
    .selectFrom('job')
    .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['queued', 'running'])
    .groupBy('state')
    .execute();
  const oldest = await db
    .selectFrom('job')
    .select((eb) => eb.fn.min('run_at').as('at'))
    .where('state', '=', 'queued')
    .where('run_at', '<=', now)
    .executeTakeFirst();
  return { byState: byState.map((r) => ({ state: r.state, n: Number(r.n) })), oldestDueAt: toNumber(oldest?.at) };
}

/** Uses the (state, next_attempt_at) index: counts and the minimum come from the index alone. */
export async function outboxFigures(db: DbOrTrx, now: number): Promise<QueueFigures> {
  const byState = await db
    .selectFrom('email_outbox')
    .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['queued', 'sending'])
    .groupBy('state')
    .execute();
  const oldest = await db
    .selectFrom('email_outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('state', '=', 'queued')
    .where('next_attempt_at', '<=', now)
    .executeTakeFirst();
  return { byState: byState.map((r) => ({ state: r.state, n: Number(r.n) })), oldestDueAt: toNumber(oldest?.at) };
}

const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
