/** Queries of the landing feature: communities by slug, slug history, memberships it writes. */
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow, MembershipRow } from '../db/schema.js';
import type { LandingPolicy } from '../../shared/enums.js';

export async function findCommunityBySlug(db: DbOrTrx, slug: string): Promise<CommunityRow | undefined> {
  return db.selectFrom('community').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** The community an old slug used to name, if any. */
export async function findSlugRedirect(db: DbOrTrx, slug: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('community_slug_history')
    .innerJoin('community', 'community.id', 'community_slug_history.community_id')
    .select('community.slug')
    .where('community_slug_history.slug', '=', slug)
    .executeTakeFirst();
  return row?.slug;
}

/** Whether a slug is free: not another community's current or earlier slug. */
export async function isSlugFree(db: DbOrTrx, slug: string, communityId: number): Promise<boolean> {
  const current = await db
    .selectFrom('community')
    .select('id')
    .where('slug', '=', slug)
    .where('id', '!=', communityId)
    .executeTakeFirst();
  if (current) return false;
  const old = await db
    .selectFrom('community_slug_history')
    .select('community_id')
    .where('slug', '=', slug)
    .executeTakeFirst();
  return !old || old.community_id === communityId;
}

/** Keeps `oldSlug` pointing at the community; a slug coming back to its community leaves the history. */
export async function recordSlugChange(
  db: DbOrTrx,
  communityId: number,
  oldSlug: string,
  newSlug: string,
  at: number,
): Promise<void> {
  await db
    .deleteFrom('community_slug_history')
    .where('slug', '=', newSlug)
    .where('community_id', '=', communityId)
    .execute();
  await db
    .insertInto('community_slug_history')
    .values({ slug: oldSlug, community_id: communityId, created_at: at })
    .onConflict((oc) => oc.column('slug').doUpdateSet({ community_id: communityId, created_at: at }))
    .execute();
}

export interface LandingSettingsUpdate {
  readonly landing_enabled?: 0 | 1;
  readonly landing_policy?: LandingPolicy;
  readonly landing_domains?: string;
  readonly landing_headline?: string | null;
  readonly landing_welcome?: string | null;
  readonly slug?: string;
}

export async function updateCommunityLanding(
  db: DbOrTrx,
  communityId: number,
  update: LandingSettingsUpdate,
  at: number,
): Promise<CommunityRow> {
  return db
    .updateTable('community')
    .set({ ...update, updated_at: at })
    .where('id', '=', communityId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function countJoinedMembers(db: DbOrTrx, communityId: number): Promise<number> {
  const row = await db
    .selectFrom('membership')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_id', '=', communityId)
    .where('state', '=', 'joined')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Reads the membership for update (PostgreSQL); SQLite has a single writer, so a plain read is enough there. */
export async function lockMembership(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  postgres: boolean,
): Promise<MembershipRow | undefined> {
  const q = db
    .selectFrom('membership')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId);
  return (postgres ? q.forUpdate() : q).executeTakeFirst();
}

/** Joins a person (state joined) unless a row exists; returns whether a row was written. */
export async function insertLandingMembership(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  state: 'joined' | 'requested',
  at: number,
): Promise<boolean> {
  const row = await db
    .insertInto('membership')
    .values({
      community_id: communityId,
      person_id: personId,
      state,
      role: 'member',
      source: 'landing',
      invited_by: null,
      invited_at: null,
      data_job_id: null,
      data_job_row: null,
      message: null,
      email_status: null,
      email_outbox_id: null,
      emailed_at: null,
      joined_at: state === 'joined' ? at : null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['community_id', 'person_id']).doNothing())
    .returning('person_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Moves an existing membership to joined (keeping its role); returns whether it changed. */
export async function markMembershipJoined(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  fromStates: readonly string[],
  at: number,
): Promise<boolean> {
  const result = await db
    .updateTable('membership')
    .set({ state: 'joined', joined_at: at, updated_at: at })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .where('state', 'in', fromStates as MembershipRow['state'][])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
