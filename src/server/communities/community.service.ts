/** Communities: create and edit (admins; leaders edit their own), read and browse. */
import type {
  AdminCommunityItem,
  CommunityDetail,
  CommunitySummary,
  CreateCommunityInput,
  UpdateCommunityInput,
} from '../../shared/communities.js';
import type { LandingSettingsInput } from '../../shared/landing.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { applyLandingSettings } from '../landing/landing-settings.service.js';
import type { Actor } from '../people/person-status.service.js';
import {
  canInvite,
  canManage,
  canSeeMembers,
  getVisibleCommunity,
  invitationExpired,
  joinMode,
  listCommunitiesOfViewer,
  type Viewer,
} from '../memberships/index.js';
import { fitsRowId } from '../db/row-id.js';
import {
  countMembersAndLeaders,
  findCommunityById,
  findCommunityByName,
  listCommunitiesWithCounts,
  insertCommunity,
  slugInUse,
  updateCommunityFields,
} from './community.repository.js';

/** The community, or not_found. */
export async function getCommunity(db: DbOrTrx, id: number): Promise<CommunityRow> {
  const community = await findCommunityById(db, id);
  if (!community) throw new AppError('not_found', 'Community not found.');
  return community;
}

/** "Class of 2026 — Boston!" → "class-of-2026-boston" */
export function slugFromName(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return s.length >= 2 ? s : `community${s ? `-${s}` : ''}`;
}

async function freeSlug(db: DbOrTrx, name: string): Promise<string> {
  const base = slugFromName(name);
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? base : `${base}-${i}`;
    if (!(await slugInUse(db, candidate))) return candidate;
  }
}

export async function createCommunity(
  ctx: AppContext,
  actor: Actor | null,
  input: CreateCommunityInput,
): Promise<CommunityRow> {
  return ctx.db.transaction().execute(async (trx) => {
    if (await findCommunityByName(trx, input.name)) throw new AppError('name_taken');
    const now = ctx.clock.now();
    const community = await insertCommunity(
      trx,
      {
        name: input.name,
        slug: await freeSlug(trx, input.name),
        headline: input.headline ?? '',
        description: input.description ?? '',
        privacy: input.privacy,
        createdBy: actor?.id ?? null,
      },
      now,
    );
    await recordAudit(
      trx,
      {
        actorId: actor?.id ?? null,
        action: 'community.create',
        targetType: 'community',
        targetId: community.id,
        details: { name: community.name, privacy: community.privacy },
      },
      now,
    );
    return community;
  });
}

/** Edits a community; the landing fields (slug, policy, …) go through the landing feature's rules. */
export async function updateCommunity(
  ctx: AppContext,
  viewer: Viewer,
  id: number,
  input: UpdateCommunityInput,
): Promise<CommunityRow> {
  return ctx.db.transaction().execute(async (trx) => {
    const { community, membership } = await getVisibleCommunity(trx, viewer, id);
    if (!canManage(viewer, community, membership))
      throw new AppError('forbidden', 'Only site admins and this community’s leaders may edit it.');
    const { name, headline, description, privacy, ...landing } = input;
    if (name !== undefined && name.toLowerCase() !== community.name.toLowerCase()) {
      const other = await findCommunityByName(trx, name);
      if (other && other.id !== id) throw new AppError('name_taken');
    }
    const now = ctx.clock.now();
    const fields = Object.fromEntries(
      Object.entries({ name, headline, description, privacy }).filter(([, v]) => v !== undefined),
    );
    if (Object.keys(fields).length) await updateCommunityFields(trx, id, fields, now);
    const updated = await applyLandingSettings(
      ctx,
      trx,
      viewer,
      await getCommunity(trx, id),
      landing as LandingSettingsInput,
    );
    const own: Record<string, unknown> = {
      name: community.name,
      headline: community.headline,
      description: community.description,
      privacy: community.privacy,
      slug: community.slug,
    };
    const changed = Object.entries(input)
      .filter(([k, v]) => v !== undefined && (!(k in own) || own[k] !== v))
      .map(([k]) => k);
    await recordAudit(
      trx,
      { actorId: viewer.id, action: 'community.update', targetType: 'community', targetId: id, details: { changed } },
      now,
    );
    return updated;
  });
}

export function landingUrlOf(ctx: AppContext, slug: string): string {
  return `${ctx.config.publicUrl}/join/${slug}`;
}

interface ListOptions {
  q?: string;
  after?: { name: string; id: number };
  limit: number;
}

/** The communities the viewer may see, by name, with member counts and the viewer's membership. */
export async function listCommunitiesForViewer(
  ctx: AppContext,
  viewer: Viewer,
  options: ListOptions,
): Promise<{ items: CommunitySummary[]; hasMore: boolean }> {
  const term = options.q?.trim();
  const rows = await listCommunitiesOfViewer(ctx.db, viewer, {
    nameLike: term ? nameLike(term) : undefined,
    after: options.after,
    limit: options.limit + 1,
  });
  return {
    hasMore: rows.length > options.limit,
    items: rows.slice(0, options.limit).map((r) => ({
      id: r.id,
      name: r.name,
      slug: r.slug,
      headline: r.headline,
      privacy: r.privacy,
      memberCount: Number(r.member_count),
      myState: r.state ?? null,
      myRole: r.state ? r.role : null,
    })),
  };
}

/** Name contains the term; % and _ in the term are rare in names and harmless as wildcards. */
function nameLike(term: string): string {
  return `%${term.toLowerCase()}%`;
}

/** The admin Communities table: every community with Community ID, counts and landing URL. */
export async function listCommunitiesForAdmin(
  ctx: AppContext,
  options: ListOptions,
): Promise<{ items: AdminCommunityItem[]; hasMore: boolean }> {
  const term = options.q?.trim();
  const rows = await listCommunitiesWithCounts(ctx.db, {
    ...(term && /^\d+$/.test(term)
      ? { id: fitsRowId(Number(term)) ? Number(term) : -1 }
      : { nameLike: term ? nameLike(term) : undefined }),
    after: options.after,
    limit: options.limit + 1,
  });
  return {
    hasMore: rows.length > options.limit,
    items: rows.slice(0, options.limit).map((r) => ({
      id: r.id,
      name: r.name,
      slug: r.slug,
      headline: r.headline,
      description: r.description,
      privacy: r.privacy,
      memberCount: Number(r.member_count),
      invitedCount: Number(r.invited_count),
      landingEnabled: r.landing_enabled === 1,
      landingUrl: landingUrlOf(ctx, r.slug),
      createdAt: r.created_at,
    })),
  };
}

/** A community's page for the viewer (404 when out of reach), with what the viewer may do. */
export async function getCommunityDetail(ctx: AppContext, viewer: Viewer, id: number): Promise<CommunityDetail> {
  const { community, membership } = await getVisibleCommunity(ctx.db, viewer, id);
  const counts = await countMembersAndLeaders(ctx.db, id);
  return {
    id: community.id,
    name: community.name,
    slug: community.slug,
    headline: community.headline,
    description: community.description,
    privacy: community.privacy,
    memberCount: Number(counts.members),
    leaderCount: Number(counts.leaders),
    myState: membership?.state ?? null,
    myRole: membership ? membership.role : null,
    can: {
      seeMembers: canSeeMembers(viewer, community, membership),
      manage: canManage(viewer, community, membership),
      invite: canInvite(viewer, community, membership),
      join: joinMode(viewer, community, membership),
      leave: membership?.state === 'joined' || membership?.state === 'requested',
    },
    myInvitationExpired: invitationExpired(membership),
  };
}
