/**
 * A landing page's logo or cover image: uploaded by whoever manages the page (site admins and the
 * community's leaders), checked by its bytes (PNG, JPEG or WebP; at most 2 MB; sides of 16 to
 * 6,000 pixels, at most 8:1), kept in the database, served on the public page while it is on.
 */
import { type LandingImage, landingImageTypes, landingLimits } from '../../shared/landing.js';
import type { AppContext } from '../context.js';
import type { Caller } from '../http/caller.js';
import { AppError } from '../errors.js';
import { sniffImage } from './image-sniff.js';
import { getLandingCommunity } from './landing-page.service.js';
import { getManagedCommunity } from './landing-settings.service.js';
import { toLandingImage } from './landing-image.mapper.js';
import {
  deleteLandingImage,
  findLandingImage,
  type LandingImageMeta,
  upsertLandingImage,
} from './landing-image.repository.js';

export interface LandingImageUpload {
  /** the file's bytes; null when the request had no file */
  readonly bytes: Buffer | null;
  /** the upload went over the size limit (the bytes are cut short) */
  readonly truncated: boolean;
  /** the admin's description; blank: the community's name */
  readonly alt: string | null;
}

/** Checks the upload: nothing is written unless every check passes. */
export function checkLandingImage(upload: LandingImageUpload) {
  if (upload.alt !== null && upload.alt.length > landingLimits.imageAltChars) throw new AppError('image_alt_too_long');
  if (upload.truncated || (upload.bytes && upload.bytes.length > landingLimits.imageMaxBytes))
    throw new AppError('image_too_large');
  if (!upload.bytes || upload.bytes.length === 0) throw new AppError('image_missing');
  const image = sniffImage(upload.bytes);
  if (!image || !(landingImageTypes as readonly string[]).includes(image.type))
    throw new AppError('image_type_unsupported');
  const long = Math.max(image.width, image.height);
  const short = Math.min(image.width, image.height);
  if (
    short < landingLimits.imageMinSide ||
    long > landingLimits.imageMaxSide ||
    long > short * landingLimits.imageMaxAspect
  )
    throw new AppError('image_dimensions', undefined, [
      { path: 'file', message: `The image is ${image.width} × ${image.height} pixels.` },
    ]);
  return { ...image, bytes: upload.bytes };
}

/** Uploads (or replaces) the page's image. */
export async function setLandingImage(
  ctx: AppContext,
  caller: Caller,
  communityId: number,
  readUpload: () => Promise<LandingImageUpload>,
): Promise<LandingImage> {
  // Who may, before the file is read: a stranger learns nothing about the file's checks.
  await getManagedCommunity(ctx.db, caller, communityId);
  const upload = await readUpload();
  const image = checkLandingImage(upload);
  const alt = upload.alt?.trim() || null;
  return ctx.db.transaction().execute(async (trx) => {
    const community = await getManagedCommunity(trx, caller, communityId);
    const meta: LandingImageMeta = {
      community_id: community.id,
      content_type: image.type,
      byte_size: image.bytes.length,
      width: image.width,
      height: image.height,
      alt,
      uploaded_by: caller.person.id,
      updated_at: ctx.clock.now(),
    };
    await upsertLandingImage(trx, { ...meta, bytes: image.bytes });
    return toLandingImage(community, meta);
  });
}

/** Removes the page's image (nothing to remove: 404). */
export async function removeLandingImage(ctx: AppContext, caller: Caller, communityId: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await getManagedCommunity(trx, caller, communityId);
    if (!(await deleteLandingImage(trx, communityId)))
      throw new AppError('not_found', 'This landing page has no image to remove.');
  });
}

/** The public page's image bytes (the page must be on, as for the page itself). */
export async function readPublicLandingImage(ctx: AppContext, slug: string) {
  const community = await getLandingCommunity(ctx, slug);
  const image = await findLandingImage(ctx.db, community.id);
  if (!image) throw new AppError('not_found', 'This landing page has no image.');
  return { ...image, version: image.updated_at.toString(36) };
}
