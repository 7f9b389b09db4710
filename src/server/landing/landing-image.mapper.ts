/** A landing image's row → the shape the page and the settings show. */
import type { LandingImage, LandingImageType } from '../../shared/landing.js';
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow } from '../db/schema.js';
import { findLandingImageMeta, type LandingImageMeta } from './landing-image.repository.js';

/** The image as the page shows it, under an address that changes with each upload. */
export function toLandingImage(community: Pick<CommunityRow, 'name' | 'slug'>, meta: LandingImageMeta): LandingImage {
  return {
    url: `/api/landing/${community.slug}/image?v=${meta.updated_at.toString(36)}`,
    alt: meta.alt ?? community.name,
    altText: meta.alt,
    width: meta.width,
    height: meta.height,
    contentType: meta.content_type as LandingImageType,
    bytes: meta.byte_size,
  };
}

/** The image of a community's settings or page, if it has one. */
export async function landingImageOf(
  db: DbOrTrx,
  community: Pick<CommunityRow, 'id' | 'name' | 'slug'>,
): Promise<LandingImage | null> {
  const meta = await findLandingImageMeta(db, community.id);
  return meta ? toLandingImage(community, meta) : null;
}
