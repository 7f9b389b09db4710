/** Community rows (memberships are the memberships feature's). */
import { sql } from 'kysely';
import type { Privacy } from '../../shared/enums.js';
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow } from '../db/schema.js';
import { countInState } from '../memberships/index.js';

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
      // Safe until someone chooses otherwise: only an admin may open a page to anyone.
      landing_policy: 'known',
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

/**
 * Communities by name (then id) with their joined and invited counts, for the admin table:
 * one Community ID, or names matching `nameLike` (lower-cased LIKE pattern), after a keyset cursor.
 */
export async function listCommunitiesWithCounts(
  db: DbOrTrx,
  options: { id?: number; nameLike?: string; after?: { name: string; id: number }; limit: number },
) {
  let q = db
    .selectFrom('community')
    .selectAll()
    .select((eb) => [countInState('joined')(eb).as('member_count'), countInState('invited')(eb).as('invited_count')])
    .orderBy('community.name')
    .orderBy('community.id')
    .limit(options.limit);
  if (options.id !== undefined) q = q.where('community.id', '=', options.id);
  if (options.nameLike !== undefined) {
    const pattern = options.nameLike;
    q = q.where((eb) => eb(eb.fn('lower', ['community.name']), 'like', pattern));
  }
  if (options.after) {
    const { name, id } = options.after;
    q = q.where((eb) => eb(eb.refTuple('community.name', 'community.id'), '>', eb.tuple(name, id)));
  }
  return q.execute();
}

/** A community's joined members and, of them, its leaders. */
export async function countMembersAndLeaders(db: DbOrTrx, id: number): Promise<{ members: number; leaders: number }> {
  const row = await db
    .selectFrom('community')
    .where('community.id', '=', id)
    .select((eb) => [countInState('joined')(eb).as('members'), countInState('joined', 'leader')(eb).as('leaders')])
    .executeTakeFirstOrThrow();
  return { members: Number(row.members), leaders: Number(row.leaders) };
}
