/**
 * "Email these invitees" of a Data Tools invite job (which itself sends no email): who may be
 * emailed, and the set-based queueing — one INSERT … SELECT into the outbox and one UPDATE of the
 * memberships, however many people the job invited. The throttle is the outbox's own due time:
 * the n-th email (in person order) is due `floor((n - 1) / rate)` minutes after the request, and
 * the sender takes due rows only.
 *
 * Who is emailed: the job's open invitations (`invited`, not past their expiry) never emailed
 * before (`email_status = 'not_sent'`), of active people and of people without an account yet
 * (`invited`), with an address that is not suppressed. Never pre-verified people (they get their
 * invite URL), pending or inactive ones, nor invitations hidden by "Not now", declined, revoked
 * or expired.
 */
import { sql } from 'kysely';
import { type DbOrTrx, isPostgres } from '../db/db.js';

/** The dedupe key prefix of a job's follow-up emails: one email per job, community and person. */
export const jobInviteeEmailKey = 'data_job_invitees';

const open = (now: number) => sql<boolean>`m.state = 'invited' AND (m.expires_at IS NULL OR m.expires_at > ${now})`;
const emailable = sql<boolean>`p.status IN ('active', 'invited') AND p.email IS NOT NULL AND m.email_status = 'not_sent'
  AND NOT EXISTS (SELECT 1 FROM suppression s WHERE s.email = p.email)`;

export interface JobInviteeAudience {
  /** emails a confirmed run would queue now */
  readonly count: number;
  /** open invitations of pre-verified people: never emailed, they get their invite URL */
  readonly preverified: number;
  /** open invitations already emailed (by an earlier run or a Resend) */
  readonly alreadyEmailed: number;
  /** open invitations not emailed for another reason: suppressed address, no address, pending or inactive person */
  readonly otherwise: number;
}

/** Who a run would email now, and why the others would not be (one read of the job's invitations). */
export async function countJobInviteeAudience(
  db: DbOrTrx,
  dataJobId: number,
  now: number,
): Promise<JobInviteeAudience> {
  const row = await sql<{
    count: number | null;
    preverified: number | null;
    emailed: number | null;
    total: number | null;
  }>`
    SELECT
      SUM(CASE WHEN ${emailable} THEN 1 ELSE 0 END) AS count,
      SUM(CASE WHEN p.status = 'pre_verified' THEN 1 ELSE 0 END) AS preverified,
      SUM(CASE WHEN p.status <> 'pre_verified' AND m.email_status IN ('queued', 'sent', 'kept', 'failed') THEN 1 ELSE 0 END) AS emailed,
      COUNT(*) AS total
    FROM membership m JOIN person p ON p.id = m.person_id
    WHERE m.data_job_id = ${dataJobId} AND ${open(now)}`.execute(db);
  const r = row.rows[0];
  const count = Number(r?.count ?? 0);
  const preverified = Number(r?.preverified ?? 0);
  const alreadyEmailed = Number(r?.emailed ?? 0);
  return {
    count,
    preverified,
    alreadyEmailed,
    otherwise: Number(r?.total ?? 0) - count - preverified - alreadyEmailed,
  };
}

export interface JobInviteeSample {
  readonly person_id: number;
  readonly email: string;
  readonly status: 'active' | 'invited';
  readonly community_id: number;
}

/** The first person (by id) a run would email, for the preview; undefined when there is none. */
export async function findJobInviteeSample(
  db: DbOrTrx,
  dataJobId: number,
  now: number,
): Promise<JobInviteeSample | undefined> {
  const r = await sql<JobInviteeSample>`
    SELECT m.person_id, p.email, p.status, m.community_id
    FROM membership m JOIN person p ON p.id = m.person_id
    WHERE m.data_job_id = ${dataJobId} AND ${open(now)} AND ${emailable}
    ORDER BY m.person_id LIMIT 1`.execute(db);
  return r.rows[0];
}

/**
 * Queues the emails of everyone a run may email now (see the file's comment), in the caller's
 * transaction: the outbox rows (template `community_invitation`, marketing, spread by the
 * throttle), then the memberships' email state `queued` and outbox id. Returns how many.
 */
export async function queueJobInviteeEmails(
  db: DbOrTrx,
  input: {
    readonly dataJobId: number;
    readonly now: number;
    readonly ratePerMinute: number;
    readonly inviterName: string;
    readonly messageDomain: string;
  },
): Promise<number> {
  const { dataJobId, now, ratePerMinute, inviterName, messageDomain } = input;
  const pg = isPostgres(db);
  const newToSite = pg
    ? sql`p.status <> 'active'`
    : sql`json(CASE WHEN p.status <> 'active' THEN 'true' ELSE 'false' END)`;
  const joinPath = sql`CASE WHEN p.status = 'active' THEN '/communities/' || c.id
    WHEN c.landing_enabled = 1 THEN '/join/' || c.slug ELSE '/sign-in' END`;
  const fields = sql`'to', p.email, 'inviterName', CAST(${inviterName} AS TEXT), 'communityName', c.name,
    'communityHeadline', c.headline, 'message', NULL, 'joinPath', ${joinPath},
    'joinEmailFragment', ${newToSite}, 'newToSite', ${newToSite},
    'invitation', ${pg ? sql`json_build_object('communityId', m.community_id, 'personId', m.person_id)` : sql`json_object('communityId', m.community_id, 'personId', m.person_id)`}`;
  const payload = pg ? sql`CAST(json_build_object(${fields}) AS TEXT)` : sql`json_object(${fields})`;
  const key = (personRef: string, communityRef: string) =>
    sql`CAST(${`${jobInviteeEmailKey}:${dataJobId}:`} AS TEXT) || ${sql.ref(communityRef)} || ':' || ${sql.ref(personRef)}`;
  const rate = sql`CAST(${ratePerMinute} AS INTEGER)`;
  const inserted = await sql`
    INSERT INTO email_outbox (dedupe_key, to_address, template, payload, category, state, attempts,
      next_attempt_at, expires_at, sender_id, message_id, last_error, sent_at, created_at, updated_at)
    SELECT t.dedupe_key, t.to_address, 'community_invitation', t.payload, 'marketing', 'queued', 0,
      ${now} + ((t.n - 1) / ${rate}) * 60000, NULL, NULL, t.message_id, NULL, NULL, ${now}, ${now}
    FROM (
      SELECT ${key('m.person_id', 'm.community_id')} AS dedupe_key, p.email AS to_address, ${payload} AS payload,
        '<data-job-' || CAST(${String(dataJobId)} AS TEXT) || '-' || m.community_id || '-' || m.person_id || '-' || CAST(${String(now)} AS TEXT)
          || CAST(${`@${messageDomain}>`} AS TEXT) AS message_id,
        ROW_NUMBER() OVER (ORDER BY m.person_id, m.community_id) AS n
      FROM membership m JOIN person p ON p.id = m.person_id JOIN community c ON c.id = m.community_id
      WHERE m.data_job_id = ${dataJobId} AND ${open(now)} AND ${emailable}
    ) t
    WHERE true
    ORDER BY t.n
    ON CONFLICT (dedupe_key) DO NOTHING`.execute(db);
  const queued = Number(inserted.numAffectedRows ?? 0);
  if (queued === 0) return 0;
  await sql`
    UPDATE membership SET email_status = 'queued', updated_at = ${now}, emailed_at = COALESCE(emailed_at, ${now}),
      email_outbox_id = (SELECT o.id FROM email_outbox o WHERE o.dedupe_key = ${key('membership.person_id', 'membership.community_id')})
    WHERE data_job_id = ${dataJobId} AND state = 'invited' AND email_status = 'not_sent'
      AND EXISTS (SELECT 1 FROM email_outbox o
        WHERE o.dedupe_key = ${key('membership.person_id', 'membership.community_id')} AND o.created_at = ${now})`.execute(
    db,
  );
  return queued;
}

/** The job's emailed invitations by email state (the progress of its follow-up emails). */
export async function countJobInviteeEmailStates(db: DbOrTrx, dataJobId: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('membership')
    .select(['email_status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('data_job_id', '=', dataJobId)
    .where('email_outbox_id', 'is not', null)
    .groupBy('email_status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.email_status ?? 'not_sent', Number(r.n)]));
}
