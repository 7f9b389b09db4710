/**
 * SQLite's bulk membership writes keep `invited_count` set-based (migration
 * 2026-12-04T1639-invited-invited-counts): while a bulk statement's caller names its operation in
 * `funnel_bulk` (funnel-bulk.repository.ts, `withSetBasedFunnel`), the Invited list's row triggers
 * for that operation stand aside and the caller adds the statement's deltas here, grouped, in the
 * same transaction. PostgreSQL's statement triggers already aggregate: these are SQLite's only.
 */
import { sql } from 'kysely';
import type { InvitationEmailStatus, MembershipSource, MembershipState } from '../../shared/enums.js';
import type { DbOrTrx } from '../db/db.js';
import type { InvitedStanding } from './invited-directory.repository.js';

/** A change of one group's count: community, standing, source, email state (null: none), signed n. */
export type InvitedCountDelta = readonly [
  communityId: number,
  standing: InvitedStanding,
  source: MembershipSource,
  emailStatus: InvitationEmailStatus | null,
  n: number,
];

/** Adds the deltas to SQLite's slot (0) in one statement; a group summing to 0 writes nothing. */
export async function addInvitedCountDeltas(db: DbOrTrx, input: readonly InvitedCountDelta[]): Promise<void> {
  // one delta per group before the statement: its parameter stays small
  const grouped = new Map<string, [number, string, string, string, number]>();
  for (const [c, standing, source, emailStatus, n] of input) {
    const key = `${c}/${standing}/${source}/${emailStatus ?? ''}`;
    const g = grouped.get(key);
    if (g) g[4] += n;
    else grouped.set(key, [c, standing, source, emailStatus ?? '', n]);
  }
  const deltas = [...grouped.values()].filter((d) => d[4] !== 0);
  if (!deltas.length) return;
  await sql`INSERT INTO invited_count (community_id, standing, source, email_status, slot, n)
    SELECT value->>0, value->>1, value->>2, value->>3, 0, value->>4 FROM json_each(${JSON.stringify(deltas)})
    WHERE true ON CONFLICT (community_id, standing, source, email_status, slot)
    DO UPDATE SET n = invited_count.n + excluded.n`.execute(db);
}

/**
 * Takes away, in one grouped read and one upsert, the open invitations of a job (`openStates`)
 * that are about to be deleted, as the delete trigger would per row. Run before the delete, in
 * its transaction.
 */
export async function takeBackOpenInvitedCountsOfJob(
  db: DbOrTrx,
  dataJobId: number,
  openStates: readonly MembershipState[],
): Promise<void> {
  const groups = await db
    .selectFrom('membership')
    .select(['community_id', 'source', 'email_status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('data_job_id', '=', dataJobId)
    .where('state', 'in', [...openStates])
    .groupBy(['community_id', 'source', 'email_status'])
    .execute();
  await addInvitedCountDeltas(
    db,
    groups.map((g) => [Number(g.community_id), 'open', g.source, g.email_status, -Number(g.n)] as const),
  );
}
