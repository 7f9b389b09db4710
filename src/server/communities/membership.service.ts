/**
 * Joining, asking to join, leaving; leaders approving requests and promoting or demoting.
 * Every change is a compare-and-set on the membership's state, so parallel requests end in one
 * consistent state and an invitation is accepted exactly once.
 */
import type { CommunityMemberPage, MemberListState } from '../../shared/communities.js';
import type { MembershipState } from '../../shared/enums.js';
import { limits } from '../../shared/limits.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import { AppError } from '../errors.js';
import {
  canManage,
  canSeeMembers,
  declineJoinRequestRow,
  findMembership,
  fromStatesOf,
  getVisibleCommunity,
  insertMembershipIfAbsent,
  joinMode,
  listMemberRows,
  lockMembership,
  moveMembership,
  setMembershipRole,
  transition,
  type Viewer,
  membershipAuditTarget,
} from '../memberships/index.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { notifyJoinRequest, notifyRequestApproved } from '../notifications/notify.service.js';
import { findPersonById } from '../people/person.repository.js';

export interface JoinResult {
  readonly state: 'joined' | 'requested';
  readonly changed: boolean;
}

/**
 * Joins (public, or with an open invitation whatever the privacy) or asks to join (private).
 * Invite-only without an invitation: 404 if the viewer cannot see it, else 403.
 */
export async function joinCommunityInTrx(
  ctx: AppContext,
  db: DbOrTrx,
  viewer: Viewer,
  communityId: number,
): Promise<JoinResult> {
  const { community, membership } = await getVisibleCommunity(db, viewer, communityId);
  const current = (await lockMembership(db, communityId, viewer.id)) ?? membership;
  // A request already made stays a request where joining needs approval; in a public community Join joins.
  const event =
    current?.state === 'joined'
      ? 'join'
      : current?.state === 'requested'
        ? community.privacy === 'public'
          ? 'join'
          : 'request'
        : joinMode(viewer, community, current);
  if (event === null) throw new AppError('forbidden', 'This community is invite-only: you need an invitation to join.');
  const move = transition(current?.state, event);
  if (!move.ok) return { state: move.reason === 'already_member' ? 'joined' : 'requested', changed: false };
  const target = move.to === 'joined' ? 'joined' : 'requested';
  const now = ctx.clock.now();
  const joinedAt = target === 'joined' ? now : null;
  const moved = current
    ? await moveMembership(db, communityId, viewer.id, [current.state], target, now, {
        joined_at: joinedAt,
        role: 'member',
      })
    : await insertMembershipIfAbsent(db, { communityId, personId: viewer.id, state: target, source: 'request' }, now);
  if (moved) {
    if (target === 'requested') await notifyJoinRequest(ctx, db, community, viewer.id);
    return { state: target, changed: true };
  }
  // Someone else's request for the same pair won the race; report what it left.
  const after = await findMembership(db, communityId, viewer.id);
  return { state: after?.state === 'joined' ? 'joined' : 'requested', changed: false };
}

export async function joinCommunity(ctx: AppContext, viewer: Viewer, communityId: number): Promise<JoinResult> {
  return ctx.db.transaction().execute((trx) => joinCommunityInTrx(ctx, trx, viewer, communityId));
}

/** Leaves a community (or withdraws a request). A leader who leaves is no longer a leader. */
export async function leaveCommunity(ctx: AppContext, viewer: Viewer, communityId: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const { membership } = await getVisibleCommunity(trx, viewer, communityId);
    const move = transition(membership?.state, 'leave');
    if (!move.ok || move.to === 'none') throw new AppError('conflict', 'You are not a member of this community.');
    await moveMembership(trx, communityId, viewer.id, fromStatesOf('leave'), move.to, ctx.clock.now(), {
      role: 'member',
    });
  });
}

async function requireManager(db: DbOrTrx, viewer: Viewer, communityId: number) {
  const found = await getVisibleCommunity(db, viewer, communityId);
  if (!canManage(viewer, found.community, found.membership))
    throw new AppError('forbidden', 'Only site admins and this community’s leaders may do that.');
  return found;
}

async function decideRequest(
  ctx: AppContext,
  viewer: Viewer,
  communityId: number,
  personId: number,
  approve: boolean,
): Promise<MembershipState> {
  return ctx.db.transaction().execute(async (trx) => {
    const { community } = await requireManager(trx, viewer, communityId);
    const now = ctx.clock.now();
    // The leader decides a request: only a membership in state requested moves.
    const decided = transition('requested', approve ? 'approve' : 'decline');
    if (!decided.ok || decided.to === 'none') throw new Error('The transition table lost the request decisions.');
    const to: MembershipState = decided.to;
    // A pending person's remembered landing-page join is applied by the site admin's approval of
    // the person, not by a leader: a leader cannot bring in someone the site has not accepted.
    const person = approve ? await findPersonById(trx, personId) : undefined;
    if (approve) {
      if (person && person.status !== 'active') {
        throw new AppError(
          'conflict',
          'This person’s account is not active yet; their request is applied when a site admin approves them.',
        );
      }
    }
    const moved = approve
      ? await moveMembership(trx, communityId, personId, ['requested'], to, now, { joined_at: now })
      : await declineJoinRequestRow(trx, communityId, personId, now);
    if (!moved) {
      const m = await findMembership(trx, communityId, personId);
      if (!m) throw new AppError('not_found', 'There is no request from this person.');
      if (m.state === to) return to;
      throw new AppError('conflict', 'There is no open request from this person.');
    }
    await recordAudit(
      trx,
      {
        actorId: viewer.id,
        action: approve ? 'membership.approve_request' : 'membership.decline_request',
        ...membershipAuditTarget(communityId, personId),
      },
      now,
    );
    if (person) await notifyRequestApproved(ctx, trx, community, person);
    return to;
  });
}

export const approveJoinRequest = (ctx: AppContext, viewer: Viewer, communityId: number, personId: number) =>
  decideRequest(ctx, viewer, communityId, personId, true);
export const declineJoinRequest = (ctx: AppContext, viewer: Viewer, communityId: number, personId: number) =>
  decideRequest(ctx, viewer, communityId, personId, false);

/** Promotes a member to leader or demotes a leader to member (site admins and this community's leaders). */
export async function setLeader(
  ctx: AppContext,
  viewer: Viewer,
  communityId: number,
  personId: number,
  leader: boolean,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await requireManager(trx, viewer, communityId);
    const m = await lockMembership(trx, communityId, personId);
    if (!m || m.state !== 'joined') throw new AppError('conflict', 'Only members of the community can be leaders.');
    if ((m.role === 'leader') === leader) return;
    const now = ctx.clock.now();
    await setMembershipRole(trx, communityId, personId, leader ? 'leader' : 'member', now);
    await recordAudit(
      trx,
      {
        actorId: viewer.id,
        action: leader ? 'membership.promote' : 'membership.demote',
        ...membershipAuditTarget(communityId, personId),
      },
      now,
    );
  });
}

/** The directory's cursor; one that is not ours serves the first page. */
function decodeMemberCursor(s: string | undefined): { nameKey: string; id: number } | undefined {
  const v = decodeCursor(s, ['text', 'rowId']);
  return v && { nameKey: v[0], id: v[1] };
}

/** The member directory: joined members, leaders, or (managers only) open requests; by name. */
export async function listCommunityMembers(
  ctx: AppContext,
  viewer: Viewer,
  communityId: number,
  options: { state: MemberListState; q?: string; cursor?: string; limit?: number },
): Promise<CommunityMemberPage> {
  const { community, membership } = await getVisibleCommunity(ctx.db, viewer, communityId);
  const manager = canManage(viewer, community, membership);
  if (options.state === 'requested' ? !manager : !canSeeMembers(viewer, community, membership)) {
    throw new AppError(
      'forbidden',
      options.state === 'requested'
        ? 'Only site admins and this community’s leaders see join requests.'
        : 'Only members see this community’s members.',
    );
  }
  const limit = Math.min(Math.max(options.limit ?? limits.pageSize, 1), 200);
  const term = options.q?.trim().toLowerCase();
  const rows = await listMemberRows(ctx.db, communityId, {
    state: options.state === 'requested' ? 'requested' : 'joined',
    leadersOnly: options.state === 'leaders',
    term: term || undefined,
    // Emails are shown to managers only, so only managers may search by them (else a search is an oracle for an address).
    emailPrefix: manager,
    after: decodeMemberCursor(options.cursor),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      personId: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      email: manager ? r.email : null,
      role: r.role,
      state: r.state,
      joinedAt: r.joined_at,
      requestedAt: r.updated_at,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor([last.name_key, last.id]) : null,
  };
}
