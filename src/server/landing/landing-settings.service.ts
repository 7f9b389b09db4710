/** Landing page settings, QR codes and numbers: for site admins and the community's leaders. */
import QRCode from 'qrcode';
import type { LandingImage, LandingSettings, LandingSettingsInput, LandingStats } from '../../shared/landing.js';
import type { Caller } from '../http/caller.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow } from '../db/schema.js';
import { canManage, getVisibleCommunity } from '../memberships/index.js';
import { AppError } from '../errors.js';
import { dayOf, listLandingStats, sumLandingStats } from './landing-stat.repository.js';
import { flushLandingCounts } from './landing-counters.js';
import { landingImageOf } from './landing-image.mapper.js';
import {
  isSlugFree,
  type LandingSettingsUpdate,
  recordSlugChange,
  updateCommunityLanding,
} from './landing.repository.js';

const STATS_DAYS = 30;

/**
 * The community, when the caller is a site admin or one of its leaders (the memberships policy):
 * out of reach → 404, within reach but not allowed → 403.
 */
export async function getManagedCommunity(db: DbOrTrx, caller: Caller, communityId: number): Promise<CommunityRow> {
  const { community, membership } = await getVisibleCommunity(db, caller.person, communityId);
  if (!canManage(caller.person, community, membership))
    throw new AppError('forbidden', 'Only site admins and this community’s leaders may manage its landing page.');
  return community;
}

export function landingUrl(ctx: AppContext, slug: string): string {
  return `${ctx.config.publicUrl}/join/${slug}`;
}

export function domainsOf(community: CommunityRow): string[] {
  return community.landing_domains ? community.landing_domains.split(',').filter(Boolean) : [];
}

export function toLandingSettings(ctx: AppContext, c: CommunityRow, image: LandingImage | null): LandingSettings {
  return {
    communityId: c.id,
    name: c.name,
    privacy: c.privacy,
    slug: c.slug,
    url: landingUrl(ctx, c.slug),
    landingEnabled: c.landing_enabled === 1,
    landingPolicy: c.landing_policy,
    landingDomains: domainsOf(c),
    landingHeadline: c.landing_headline,
    landingWelcome: c.landing_welcome,
    landingProfileRequired: c.landing_profile_required === 1,
    defaults: { headline: c.headline, welcome: c.description },
    image,
  };
}

export async function getLandingSettings(
  ctx: AppContext,
  caller: Caller,
  communityId: number,
): Promise<LandingSettings> {
  const community = await getManagedCommunity(ctx.db, caller, communityId);
  return toLandingSettings(ctx, community, await landingImageOf(ctx.db, community));
}

/**
 * Applies the landing fields of a PATCH inside the caller's transaction, with the policy rule for
 * leaders (leaderLandingInput). Exported for the communities feature's PATCH routes, which check
 * that the editor manages the community. The old slug keeps working: it redirects to the new one.
 */
export async function applyLandingSettings(
  ctx: AppContext,
  trx: DbOrTrx,
  editor: { readonly is_admin: number },
  community: CommunityRow,
  requested: LandingSettingsInput,
): Promise<CommunityRow> {
  const input = editor.is_admin === 1 ? requested : leaderLandingInput(community, requested);
  const update: { -readonly [K in keyof LandingSettingsUpdate]: LandingSettingsUpdate[K] } = {};
  const now = ctx.clock.now();
  if (input.landingEnabled !== undefined) update.landing_enabled = input.landingEnabled ? 1 : 0;
  if (input.landingPolicy !== undefined) update.landing_policy = input.landingPolicy;
  if (input.landingDomains !== undefined) update.landing_domains = input.landingDomains.join(',');
  if (input.landingHeadline !== undefined) update.landing_headline = input.landingHeadline || null;
  if (input.landingWelcome !== undefined) update.landing_welcome = input.landingWelcome || null;
  if (input.landingProfileRequired !== undefined)
    update.landing_profile_required = input.landingProfileRequired ? 1 : 0;
  const policy = input.landingPolicy ?? community.landing_policy;
  const domains = input.landingDomains ?? domainsOf(community);
  if (policy === 'domains' && domains.length === 0) {
    throw new AppError('validation_failed', 'Add at least one email domain for the "only these domains" policy.', [
      { path: 'landingDomains', message: 'Add at least one domain.' },
    ]);
  }
  if (input.slug !== undefined && input.slug !== community.slug) {
    if (!(await isSlugFree(trx, input.slug, community.id))) throw new AppError('slug_taken');
    update.slug = input.slug;
    await recordSlugChange(trx, community.id, community.slug, input.slug, now);
  }
  if (Object.keys(update).length === 0) return community;
  return updateCommunityLanding(trx, community.id, update, now);
}

/**
 * What a leader (not an admin) may change. "anyone" creates site accounts without approval, so
 * only an admin may choose it; a leader who switches a page on never inherits it silently: the
 * page then admits only people the site knows ("known"), until an admin opens it.
 */
export function leaderLandingInput(community: CommunityRow, input: LandingSettingsInput): LandingSettingsInput {
  const switchingOn = input.landingEnabled === true && community.landing_enabled !== 1;
  // Sending back the policy an admin chose (the form sends every field) changes nothing; asking
  // for "anyone" anew, or together with switching the page on, is the admin's call.
  if (input.landingPolicy === 'anyone' && (community.landing_policy !== 'anyone' || switchingOn))
    throw new AppError('landing_policy_admin_only');
  if (switchingOn && (input.landingPolicy ?? community.landing_policy) === 'anyone')
    return { ...input, landingPolicy: 'known' };
  return input;
}

/** Leaders' and admins' own endpoint: `PATCH /api/communities/:id/landing`. */
export async function updateLandingSettings(
  ctx: AppContext,
  caller: Caller,
  communityId: number,
  input: LandingSettingsInput,
): Promise<LandingSettings> {
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const community = await getManagedCommunity(trx, caller, communityId);
    return applyLandingSettings(ctx, trx, caller.person, community, input);
  });
  return toLandingSettings(ctx, updated, await landingImageOf(ctx.db, updated));
}

/** The landing URL as a QR code, PNG (for print) or SVG (for design tools). */
export async function renderLandingQr(
  ctx: AppContext,
  caller: Caller,
  communityId: number,
  format: 'png' | 'svg',
): Promise<{ body: Buffer | string; slug: string }> {
  const community = await getManagedCommunity(ctx.db, caller, communityId);
  const url = landingUrl(ctx, community.slug);
  const options = { errorCorrectionLevel: 'M' as const, margin: 2 };
  const body =
    format === 'png'
      ? await QRCode.toBuffer(url, { ...options, type: 'png', width: 1024 })
      : await QRCode.toString(url, { ...options, type: 'svg' });
  return { body, slug: community.slug };
}

const metricKeys = {
  visits: 'visits',
  codes_sent: 'codesSent',
  verified: 'verified',
  joined: 'joined',
  people_created: 'peopleCreated',
} as const;
type StatKey = (typeof metricKeys)[keyof typeof metricKeys];
const emptyCounts = (): Record<StatKey, number> => ({
  visits: 0,
  codesSent: 0,
  verified: 0,
  joined: 0,
  peopleCreated: 0,
});

/** Totals and the last 30 days (UTC) of the landing page's numbers. */
export async function getLandingStats(ctx: AppContext, caller: Caller, communityId: number): Promise<LandingStats> {
  await getManagedCommunity(ctx.db, caller, communityId);
  await flushLandingCounts(ctx);
  const from = dayOf(ctx.clock.now() - (STATS_DAYS - 1) * 86_400_000);
  const [sums, rows] = await Promise.all([
    sumLandingStats(ctx.db, communityId),
    listLandingStats(ctx.db, communityId, from),
  ]);
  const totals = emptyCounts();
  for (const [metric, n] of Object.entries(sums)) {
    const key = metricKeys[metric as keyof typeof metricKeys];
    if (key) totals[key] = n;
  }
  const byDay = new Map<string, Record<StatKey, number>>();
  for (const row of rows) {
    const key = metricKeys[row.metric as keyof typeof metricKeys];
    if (!key) continue;
    const counts = byDay.get(row.day) ?? emptyCounts();
    counts[key] = Number(row.count);
    byDay.set(row.day, counts);
  }
  return { totals, days: [...byDay].map(([day, counts]) => ({ day, ...counts })) };
}
