/** The public landing page: what `/join/:slug` shows, the same for every visitor. */
import type { LandingPage } from '../../shared/landing.js';
import type { AppContext } from '../context.js';
import type { CommunityRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { domainsOf } from './landing-settings.service.js';
import { countLandingEvent } from './landing-counters.js';
import { listMemberTypes } from '../people/member-type.repository.js';
import { landingMemberCount } from './landing-member-count.js';
import { landingImageOf } from './landing-image.mapper.js';
import { findCommunityBySlug, findSlugRedirect } from './landing.repository.js';

/**
 * The community behind a slug (an old slug finds the community that used it) when its landing
 * page is on. Disabled and unknown pages answer the same 404, so a disabled page reveals nothing.
 */
export async function getLandingCommunity(ctx: AppContext, slug: string): Promise<CommunityRow> {
  const key = slug.toLowerCase();
  let community = await findCommunityBySlug(ctx.db, key);
  if (!community) {
    const current = await findSlugRedirect(ctx.db, key);
    if (current) community = await findCommunityBySlug(ctx.db, current);
  }
  if (!community || community.landing_enabled !== 1) throw new AppError('landing_disabled');
  return community;
}

/** The current slug when `slug` is an old one of some community (the page has moved), else undefined. */
export async function findMovedLandingSlug(ctx: AppContext, slug: string): Promise<string | undefined> {
  const key = slug.toLowerCase();
  if (await findCommunityBySlug(ctx.db, key)) return undefined;
  return findSlugRedirect(ctx.db, key);
}

/** The page's content; counts a visit. `slug` in the answer is the current one (the page moves there). */
export async function viewLandingPage(ctx: AppContext, slug: string): Promise<LandingPage> {
  const community = await getLandingCommunity(ctx, slug);
  const [memberCount, memberTypes, image] = await Promise.all([
    community.privacy === 'public' ? landingMemberCount(ctx, community.id) : Promise.resolve(null),
    listMemberTypes(ctx.db),
    landingImageOf(ctx.db, community),
  ]);
  countLandingEvent(ctx, community.id, 'visits');
  return {
    siteName: ctx.config.siteName,
    slug: community.slug,
    community: {
      name: community.name,
      headline: community.landing_headline ?? community.headline,
      description: community.landing_welcome ?? community.description,
      memberCount,
      image,
    },
    policy: {
      kind: community.landing_policy,
      domains: community.landing_policy === 'domains' ? domainsOf(community) : [],
    },
    memberTypes: memberTypes.map((t) => t.name),
  };
}
