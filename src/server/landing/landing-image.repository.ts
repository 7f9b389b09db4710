/** Queries of a landing page's logo or cover image (one per community, bytes in the database). */
import type { DbOrTrx } from '../db/db.js';
import type { LandingImageTable } from '../db/schema.js';

export type LandingImageMeta = Omit<LandingImageTable, 'bytes'>;

const metaColumns = [
  'community_id',
  'content_type',
  'byte_size',
  'width',
  'height',
  'alt',
  'uploaded_by',
  'updated_at',
] as const;

/** The image's description without its bytes (for the page and the settings). */
export async function findLandingImageMeta(db: DbOrTrx, communityId: number): Promise<LandingImageMeta | undefined> {
  const row = await db
    .selectFrom('landing_image')
    .select(metaColumns)
    .where('community_id', '=', communityId)
    .executeTakeFirst();
  return row && { ...row, updated_at: Number(row.updated_at) };
}

/** The image with its bytes (to serve it). */
export async function findLandingImage(db: DbOrTrx, communityId: number): Promise<LandingImageTable | undefined> {
  const row = await db
    .selectFrom('landing_image')
    .selectAll()
    .where('community_id', '=', communityId)
    .executeTakeFirst();
  return row && { ...row, bytes: Buffer.from(row.bytes), updated_at: Number(row.updated_at) };
}

/** Puts the community's image in place of any earlier one. */
export async function upsertLandingImage(db: DbOrTrx, image: LandingImageTable): Promise<void> {
  const { community_id: _, ...update } = image;
  await db
    .insertInto('landing_image')
    .values(image)
    .onConflict((oc) => oc.column('community_id').doUpdateSet(update))
    .execute();
}

/** Removes the community's image; answers whether there was one. */
export async function deleteLandingImage(db: DbOrTrx, communityId: number): Promise<boolean> {
  const r = await db.deleteFrom('landing_image').where('community_id', '=', communityId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
