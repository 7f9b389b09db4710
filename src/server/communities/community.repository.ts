/** Community and membership rows. */
import { type ExpressionBuilder, sql } from 'kysely';
import type { MembershipRole, MembershipSource, MembershipState, Privacy } from '../../shared/enums.js';
import { isPostgres, type DbOrTrx } from '../db/db.js';
import type { CommunityRow, Database, MembershipRow } from '../db/schema.js';

export async function findCommunityById(db: DbOrTrx, id: number): Promise<CommunityRow | undefined> {
  return db.selectFrom('community').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCommunityByName(db: DbOrTrx, name: string): Promise<CommunityRow | undefined> {
  return db
    .selectFrom('community')
    .selectAll()
    .where(sql`lower(name)`, '=', name.trim().toLowerCase())
    .executeTakeFirst();
}

/** Whether a slug is used by a community or kept as an old address of one. */
export async function slugInUse(db: DbOrTrx, slug: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    db.selectFrom('community').select('id').where('slug', '=', slug).executeTakeFirst(),
    db.selectFrom('community_slug_history').select('community_id').where('slug', '=', slug).executeTakeFirst(),
  ]);
  return Boolean(a || b);
}

export interface NewCommunity {
  name: string;
  slug: string;
  headline: string;
  description: string;
  privacy: Privacy;
  createdBy: number | null;
}

export async function insertCommunity(db: DbOrTrx, c: NewCommunity, now: number): Promise<CommunityRow> {
  return db
    .insertInto('community')
    .values({
      name: c.name,
      slug: c.slug,
      headline: c.headline,
      description: c.description,
      privacy: c.privacy,
      landing_enabled: 0,
      landing_policy: 'anyone',
      landing_domains: '',
      landing_headline: null,
      landing_welcome: null,
      created_by: c.createdBy,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateCommunityFields(
  db: DbOrTrx,
  id: number,
  set: Partial<Pick<CommunityRow, 'name' | 'headline' | 'description' | 'privacy'>>,
  now: number,
): Promise<void> {
  await db
    .updateTable('community')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function findMembership(
  db: DbOrTrx,
  communityId: number,
  personId: number,
): Promise<MembershipRow | undefined> {
  return db
    .selectFrom('membership')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

/** Reads a membership for update (PostgreSQL row lock). */
export async function lockMembership(
  db: DbOrTrx,
  communityId: number,
  personId: number,
): Promise<MembershipRow | undefined> {
  const q = db
    .selectFrom('membership')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId);
  return (isPostgres(db) ? q.forUpdate() : q).executeTakeFirst();
}

/** Inserts a membership unless one exists; true when this call created it. */
export async function insertMembershipIfAbsent(
  db: DbOrTrx,
  row: { communityId: number; personId: number; state: MembershipState; source: MembershipSource },
  now: number,
): Promise<boolean> {
  const res = await db
    .insertInto('membership')
    .values({
      community_id: row.communityId,
      person_id: row.personId,
      state: row.state,
      role: 'member',
      source: row.source,
      invited_by: null,
      invited_at: null,
      data_job_id: null,
      data_job_row: null,
      message: null,
      email_status: null,
      email_outbox_id: null,
      emailed_at: null,
      joined_at: row.state === 'joined' ? now : null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['community_id', 'person_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Moves a membership to `to` only if it is still in one of `from` — the compare-and-set that makes
 * parallel joins, approvals and leaves end in one state. True when this call moved it.
 */
export async function moveMembership(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  from: readonly MembershipState[],
  to: MembershipState,
  now: number,
  extra: { role?: MembershipRole; joined_at?: number | null; source?: MembershipSource } = {},
): Promise<boolean> {
  const res = await db
    .updateTable('membership')
    .set({ state: to, updated_at: now, ...extra })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .where('state', 'in', [...from])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function setMembershipRole(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  role: MembershipRole,
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable('membership')
    .set({ role, updated_at: now })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .where('state', '=', 'joined')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export function countInState(state: MembershipState, role?: MembershipRole) {
  return (eb: ExpressionBuilder<Database, 'community'>) => {
    let q = eb
      .selectFrom('membership')
      .select(eb.fn.countAll<number>().as('n'))
      .whereRef('membership.community_id', '=', 'community.id')
      .where('membership.state', '=', state);
    if (role) q = q.where('membership.role', '=', role);
    return q;
  };
}
