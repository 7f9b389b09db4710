/**
 * Data Tools' statements over the membership table: the bulk invitation upsert of an invite job,
 * the states of a batch's people, a job's own invitations (resume, log, undo), and the membership
 * part of the look-up statement. A batch travels as ONE JSON parameter that the database
 * unpacks (json_each on SQLite, json_array_elements on PostgreSQL): no parameter limit and no
 * large statement to compile per batch. The two dialects spell this differently, hence the
 * branches.
 */
import { type RawBuilder, sql } from 'kysely';
import type { MembershipState } from '../../shared/enums.js';
import { isPostgres, type DbOrTrx } from '../db/db.js';
import { fromStatesOf } from './membership.transitions.js';
import { queueWebhookEvents, wantsWebhookEvents } from '../webhooks/webhook-event.repository.js';
import { JsonRows } from '../db/json-rows.js';
import {
  addFunnelDeltas,
  countsFunnelSetBased,
  type FunnelDelta,
  takeBackOpenInvitationsOfJob,
  takeReinvitedCounts,
  withSetBasedFunnel,
} from './funnel-bulk.repository.js';
import { addInvitedCountDeltas, takeBackOpenInvitedCountsOfJob } from './invited-count.repository.js';

/** One invitation of a job: community, person, its email state (never emailed), the CSV row that made it. */
export type DataJobInvitation = readonly [
  communityId: number,
  personId: number,
  emailStatus: 'not_sent' | 'pre_verified',
  dataJobRow: number,
];

export interface DataJobInvitationConstants {
  /** the job's creator, when they still exist (a merge may have removed them) */
  readonly invitedBy: number | null;
  readonly dataJobId: number;
  readonly now: number;
  /** when the job's invitations expire; null: never */
  readonly expiresAt: number | null;
}

// 10,000: a statement's RETURNING objects are garbage as soon as it is done; larger statements'
// outlived young-generation collections. (Its rows leave no objects: JsonRows.)
const rowsPerStatement = 10_000;

/**
 * Invites in bulk: a new pair is inserted; a membership the transition table lets the invite
 * event move (dismissed, left, removed, requested) is invited again; joined and invited ones are
 * never touched. RETURNING names the pairs written, so the insert itself is the judge of what
 * already existed at the moment of writing (no read of the membership table beforehand, and no
 * window for a join that races the batch). `onWritten` hears every pair written.
 */
export async function upsertDataJobInvitations<T>(
  db: DbOrTrx,
  items: ArrayLike<T>,
  toInvitation: (item: T) => DataJobInvitation,
  constants: DataJobInvitationConstants,
  onWritten: (communityId: number, personId: number) => void,
): Promise<void> {
  // the invitations and their counters commit together
  if (!db.isTransaction)
    return db.transaction().execute((trx) => upsertDataJobInvitations(trx, items, toInvitation, constants, onWritten));
  // No object kept per row: each statement's rows are written straight into one reused JSON
  // buffer (db/json-rows.ts), the webhook events are made only when an endpoint wants them, and
  // SQLite's counters are added once per call, not per statement.
  const json = new JsonRows();
  const wantsEvents = await wantsWebhookEvents(db, 'membership.invited');
  // SQLite, set-based counting: per community, the invitations written (inserts minus the
  // re-invitations the row trigger tallied) and the open ones by email status.
  const invited = new Map<number, number>();
  const open = new Map<number, [notSent: number, preVerified: number]>();
  for (let i = 0; i < items.length; i += rowsPerStatement) {
    json.clear();
    for (let j = i; j < Math.min(items.length, i + rowsPerStatement); j++) {
      const [communityId, personId, emailStatus, dataJobRow] = toInvitation(items[j] as T);
      json.row().int(communityId).int(personId).text(emailStatus).int(dataJobRow).end();
    }
    // SQLite: the slice's inserts are counted here, per community (funnel-bulk.repository.ts);
    // its re-invitations (updates) by their row trigger, which tallies them per community. The
    // Invited list's counts: every returned row is added to its open group here, and a
    // re-invitation's update trigger takes its former group away (invited-count.repository.ts).
    const written = await withSetBasedFunnel(
      db,
      'insert',
      (trx) => upsertSlice(trx, json, constants),
      async (trx, out) => {
        for (const r of out) {
          const communityId = Number(r.community_id);
          invited.set(communityId, (invited.get(communityId) ?? 0) + 1);
          let g = open.get(communityId);
          if (!g) open.set(communityId, (g = [0, 0]));
          g[r.email_status === 'pre_verified' ? 1 : 0]++;
        }
        for (const [communityId, n] of await takeReinvitedCounts(trx))
          invited.set(communityId, (invited.get(communityId) ?? 0) - n);
      },
    );
    for (const r of written) onWritten(Number(r.community_id), Number(r.person_id));
    if (wantsEvents)
      await queueWebhookEvents(
        db,
        constants.now,
        written.map((r) => ({
          type: 'membership.invited' as const,
          personId: Number(r.person_id),
          data: { personId: Number(r.person_id), communityId: Number(r.community_id), dataJobId: constants.dataJobId },
        })),
      );
  }
  if (!invited.size && !open.size) return;
  const deltas: FunnelDelta[] = [];
  for (const [communityId, n] of invited)
    if (n) deltas.push([communityId, constants.dataJobId, constants.invitedBy, 'invited', constants.now, n]);
  await addFunnelDeltas(db, deltas);
  await addInvitedCountDeltas(
    db,
    [...open].flatMap(([communityId, [notSent, preVerified]]) => [
      [communityId, 'open', 'data_job', 'not_sent', notSent] as const,
      [communityId, 'open', 'data_job', 'pre_verified', preVerified] as const,
    ]),
  );
}

type UpsertedRow = { community_id: number; person_id: number; email_status: 'not_sent' | 'pre_verified' };

async function upsertSlice(db: DbOrTrx, json: JsonRows, c: DataJobInvitationConstants): Promise<UpsertedRow[]> {
  const reinvitable = sql.join(fromStatesOf('invite').map((s) => sql.lit(s)));
  const columns = sql.raw(`community_id, person_id, email_status, data_job_row,
    state, role, source, invited_by, invited_at, data_job_id, created_at, updated_at, expires_at`);
  const onConflict = sql`ON CONFLICT (community_id, person_id) DO UPDATE SET state = 'invited', source = 'data_job',
    invited_by = excluded.invited_by, invited_at = excluded.invited_at, data_job_id = excluded.data_job_id,
    data_job_row = excluded.data_job_row, email_status = excluded.email_status, message = NULL,
    email_outbox_id = NULL, emailed_at = NULL, delivered_at = NULL, opened_at = NULL,
    signed_in_at = NULL, updated_at = excluded.updated_at,
    expires_at = excluded.expires_at, ended_by = NULL, next_reminder_at = NULL, reminders_sent = 0
    WHERE membership.state IN (${reinvitable})
    RETURNING community_id, person_id, email_status`;
  if (isPostgres(db)) {
    // PostgreSQL reads an untyped parameter in a SELECT list as text: each value is cast.
    return (
      await sql<UpsertedRow>`INSERT INTO membership (${columns})
        SELECT (e->>0)::integer, (e->>1)::integer, (e->>2)::text, (e->>3)::integer,
          'invited', 'member', 'data_job', ${c.invitedBy}::integer, ${c.now}::bigint, ${c.dataJobId}::integer,
          ${c.now}::bigint, ${c.now}::bigint, ${c.expiresAt}::bigint
        FROM json_array_elements(${json.json()}::json) e ${onConflict}`.execute(db)
    ).rows;
  }
  // "WHERE true" keeps SQLite's parser from reading ON CONFLICT as a join constraint.
  return (
    await sql<UpsertedRow>`INSERT INTO membership (${columns})
      SELECT value->>0, value->>1, value->>2, value->>3,
        'invited', 'member', 'data_job', ${c.invitedBy}, ${c.now}, ${c.dataJobId}, ${c.now}, ${c.now}, ${c.expiresAt}
      FROM json_each(CAST(${json.blob()} AS TEXT)) WHERE true ${onConflict}`.execute(db)
  ).rows;
}

/** Every membership of these people (a batch's rows the upsert did not write), by one parameter. */
export async function findMembershipStatesOfPeople(
  db: DbOrTrx,
  personIds: readonly number[],
): Promise<{ community_id: number; person_id: number; state: MembershipState }[]> {
  if (!personIds.length) return [];
  const q = db.selectFrom('membership').select(['community_id', 'person_id', 'state']);
  // An array parameter on PostgreSQL (planned as an index scan, where an IN over a set-returning
  // function is estimated at 100 rows); a JSON text on SQLite.
  return (
    isPostgres(db)
      ? q.where(sql<boolean>`person_id = ANY(${personIds}::bigint[])`)
      : q.where(sql<boolean>`person_id in (select value from json_each(${JSON.stringify(personIds)}))`)
  ).execute();
}

/** The pairs a job's own invitations were made for, up to `upToRow`: part of the duplicate check on resume. */
export async function readInvitationKeysOfJob(
  db: DbOrTrx,
  dataJobId: number,
  upToRow: number,
): Promise<{ person_id: number; community_id: number; data_job_row: number | null }[]> {
  return db
    .selectFrom('membership')
    .select(['person_id', 'community_id', 'data_job_row'])
    .where('data_job_id', '=', dataJobId)
    .where('data_job_row', '<=', upToRow)
    .execute();
}

/** Undo: deletes the still-open invitations a job created; returns how many. */
export async function deleteOpenInvitationsOfJob(db: DbOrTrx, dataJobId: number): Promise<number> {
  const open = [...fromStatesOf('revoke')];
  // SQLite: the funnel's steps and the Invited list's counts taken back are counted set-based just
  // before the delete, over the same rows.
  return withSetBasedFunnel(
    db,
    'delete',
    async (trx) => {
      if (countsFunnelSetBased(trx)) {
        await takeBackOpenInvitationsOfJob(trx, dataJobId, open);
        await takeBackOpenInvitedCountsOfJob(trx, dataJobId, open);
      }
      const r = await trx
        .deleteFrom('membership')
        .where('data_job_id', '=', dataJobId)
        .where('state', 'in', open)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async () => undefined,
  );
}

/**
 * A column of the invitation a job made from staged row `rowRef` (a column reference of the
 * caller's statement), as a subquery; it probes (data_job_id, data_job_row) on
 * membership_data_job_idx.
 */
export function invitationOfJobRow(
  column: 'person_id' | 'community_id',
  dataJobId: number,
  rowRef: string,
): RawBuilder<number | null> {
  return sql<
    number | null
  >`(SELECT m.${sql.raw(column)} FROM membership m WHERE m.data_job_id = ${dataJobId} AND m.data_job_row = ${sql.raw(rowRef)})`;
}

/**
 * The state of the membership of `personRef` in `communityRef` (column references of the
 * caller's statement), as a scalar subquery: PostgreSQL's planner, given it as a join, probed by
 * person alone and filtered the community after fetching each row; as a subquery it takes the
 * key. SQLite's planner takes the key either way. It adds no parameter to the statement.
 */
export function membershipStateOf(personRef: string, communityRef: string): RawBuilder<MembershipState | null> {
  return sql<MembershipState | null>`(SELECT m.state FROM membership m WHERE m.person_id = ${sql.ref(personRef)} AND m.community_id = ${sql.ref(communityRef)})`;
}
