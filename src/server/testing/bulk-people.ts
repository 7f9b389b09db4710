/**
 * Many people (and invitations) for tests, written set-based: one INSERT … SELECT over a recursive
 * counter, so thousands of rows cost one statement on either database.
 */
import { sql } from 'kysely';
import type { Db } from '../db/db.js';
import type { MembershipSource, MembershipState, PersonStatus } from '../../shared/enums.js';

const cycle = (values: readonly (string | null)[], i: ReturnType<typeof sql.ref>) =>
  sql`CASE ${i} % ${sql.lit(values.length)} ${sql.join(
    values.map((v, k) => sql`WHEN ${sql.lit(k)} THEN ${v === null ? sql`NULL` : sql.lit(v)}`),
    sql` `,
  )} END`;

/**
 * People `${prefix}-1` … `${prefix}-${count}` (Unique ID; email `${prefix}-i@example.edu`; last
 * name `${prefix} i`), their statuses cycling through `statuses` (person i has statuses[i % n]).
 */
export async function insertPeople(
  db: Db,
  input: { prefix: string; count: number; statuses: readonly PersonStatus[]; now: number },
): Promise<void> {
  const { prefix, count, statuses, now } = input;
  const i = sql.ref('n.i');
  const last = sql`CAST(${prefix} AS TEXT) || ' ' || ${i}`;
  await sql`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${sql.lit(count)})
    INSERT INTO person (unique_id, email, first_name, last_name, name_key, last_name_key, status, is_admin,
      created_at, updated_at, activated_at)
    SELECT CAST(${prefix} AS TEXT) || '-' || ${i}, lower(CAST(${prefix} AS TEXT)) || '-' || ${i} || '@example.edu',
      'Bulk', ${last}, lower('Bulk ' || ${last}), lower(${last}), ${cycle(statuses, i)}, 0,
      ${now}, ${now}, ${now}
    FROM n`.execute(db);
}

/**
 * Invitations to `communityId` of every person whose Unique ID starts with `${prefix}-`: states,
 * sources and email states cycle by person id as given; invited_at is `now - id` (newest last id).
 */
export async function insertInvitations(
  db: Db,
  input: {
    prefix: string;
    communityId: number;
    invitedBy: number;
    now: number;
    /** [state, ended_by] pairs */
    standings: readonly (readonly [MembershipState, 'decline' | 'expire' | 'revoke' | null])[];
    sources: readonly MembershipSource[];
    emailStatuses: readonly string[];
  },
): Promise<void> {
  const { prefix, communityId, invitedBy, now } = input;
  const id = sql.ref('p.id');
  await sql`
    INSERT INTO membership (community_id, person_id, state, role, source, invited_by, invited_at, email_status,
      ended_by, created_at, updated_at, reminders_sent)
    SELECT ${communityId}, p.id, ${cycle(
      input.standings.map((s) => s[0]),
      id,
    )}, 'member', ${cycle(input.sources, id)}, ${invitedBy}, CAST(${now} AS BIGINT) - p.id, ${cycle(input.emailStatuses, id)},
      ${cycle(
        input.standings.map((s) => s[1]),
        id,
      )}, ${now}, ${now}, 0
    FROM person p WHERE p.unique_id >= ${`${prefix}-`} AND p.unique_id < ${`${prefix}-\uffff`}`.execute(db);
}

/** `personId` leads `communityId` (joined, leader): setting up a leader without the screens. */
export async function insertLeader(db: Db, communityId: number, personId: number, now: number): Promise<void> {
  await db
    .insertInto('membership')
    .values({
      community_id: communityId,
      person_id: personId,
      state: 'joined',
      role: 'leader',
      source: 'admin',
      invited_by: null,
      invited_at: null,
      data_job_id: null,
      data_job_row: null,
      message: null,
      email_status: null,
      email_outbox_id: null,
      emailed_at: null,
      joined_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute();
}
