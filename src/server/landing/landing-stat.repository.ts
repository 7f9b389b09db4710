/** Landing page counters: one row per community, UTC day and metric, bumped with an upsert. */
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/db.js';

export const landingMetrics = ['visits', 'codes_sent', 'verified', 'joined', 'people_created'] as const;
export type LandingMetric = (typeof landingMetrics)[number];

/** "2026-11-26" for an epoch-ms instant (UTC). */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Adds `by` to a counter; both dialects speak `ON CONFLICT … DO UPDATE`. */
export async function bumpLandingStat(
  db: DbOrTrx,
  communityId: number,
  metric: LandingMetric,
  at: number,
  by = 1,
): Promise<void> {
  await db
    .insertInto('landing_stat')
    .values({ community_id: communityId, day: dayOf(at), metric, count: by })
    .onConflict((oc) =>
      oc.columns(['community_id', 'day', 'metric']).doUpdateSet({ count: sql<number>`landing_stat.count + ${by}` }),
    )
    .execute();
}

export interface LandingStatRow {
  readonly day: string;
  readonly metric: string;
  readonly count: number;
}

/** The counters of one community since `fromDay` (inclusive), oldest first. */
export async function listLandingStats(db: DbOrTrx, communityId: number, fromDay: string): Promise<LandingStatRow[]> {
  return db
    .selectFrom('landing_stat')
    .select(['day', 'metric', 'count'])
    .where('community_id', '=', communityId)
    .where('day', '>=', fromDay)
    .orderBy('day')
    .orderBy('metric')
    .execute();
}

/** Totals per metric over every day. */
export async function sumLandingStats(db: DbOrTrx, communityId: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('landing_stat')
    .select(['metric', (eb) => eb.fn.sum<number>('count').as('total')])
    .where('community_id', '=', communityId)
    .groupBy('metric')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.metric, Number(r.total)]));
}
