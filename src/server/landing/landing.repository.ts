/** Queries of the landing feature: communities by slug, slug history, landing settings. */
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow } from '../db/schema.js';
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
  readonly landing_profile_required?: 0 | 1;
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
