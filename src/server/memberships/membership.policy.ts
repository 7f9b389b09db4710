/**
 * Who may see and do what in a community: pure functions of the viewer, the community and the
 * viewer's membership, so that routes, services and the web's `can` flags agree; and the two
 * reads every community-scoped use case starts with (getVisibleCommunity, getManagedCommunity).
 * A community the viewer cannot see answers 404 (as if it did not exist); one they see but may
 * not manage, 403.
 */
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow, MembershipRow, PersonRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { findCommunityWithMembership } from './membership.repository.js';
import { targetOf } from './membership.transitions.js';

export type Viewer = Pick<PersonRow, 'id' | 'is_admin' | 'status'>;
type Community = Pick<CommunityRow, 'privacy'>;
type Membership = Pick<MembershipRow, 'state' | 'role'> | undefined;

const isAdmin = (v: Viewer) => v.is_admin === 1 && v.status === 'active';

/**
 * Public and private communities are visible to every active person; invite-only ones to their
 * members, admins and invitees — an invitation hidden by "Not now" is still open, so its invitee
 * still sees the public face, joins, restores or declines.
 */
export function canSee(viewer: Viewer, community: Community, membership: Membership): boolean {
  if (isAdmin(viewer)) return true;
  if (viewer.status !== 'active') return false;
  if (community.privacy !== 'invite_only') return true;
  return membership?.state === 'joined' || membership?.state === 'invited' || membership?.state === 'dismissed';
}

/** The member directory: anyone for a public community; members (and admins) otherwise. Invitees see only the public face. */
export function canSeeMembers(viewer: Viewer, community: Community, membership: Membership): boolean {
  if (!canSee(viewer, community, membership)) return false;
  if (isAdmin(viewer) || membership?.state === 'joined') return true;
  return community.privacy === 'public';
}

export function isLeader(membership: Membership): boolean {
  return membership?.state === 'joined' && membership.role === 'leader';
}

/** Edit, invite, approve requests, promote and demote: site admins and this community's leaders. */
export function canManage(viewer: Viewer, _community: Community, membership: Membership): boolean {
  return isAdmin(viewer) || (viewer.status === 'active' && isLeader(membership));
}

/** Invite into the community: the same people who manage it. */
export function canInvite(viewer: Viewer, community: Community, membership: Membership): boolean {
  return canManage(viewer, community, membership);
}

/** What "Join" does for this viewer: join at once, ask, or nothing. An open invitation always joins at once. */
export function joinMode(viewer: Viewer, community: Community, membership: Membership): 'join' | 'request' | null {
  if (viewer.status !== 'active' || !canSee(viewer, community, membership)) return null;
  const state = membership?.state;
  if (state === 'joined' || state === 'requested') return null;
  if (state === 'invited' || state === 'dismissed') return 'join';
  if (community.privacy === 'public') return 'join';
  if (community.privacy === 'private') return isAdmin(viewer) ? 'join' : 'request';
  return isAdmin(viewer) ? 'join' : null;
}

/** Whether the membership is an invitation that ran out unanswered (and was not opened again since). */
export function invitationExpired(m: MembershipRow | undefined): boolean {
  return m?.state === targetOf('expire') && m.ended_by === 'expire' && m.joined_at === null;
}

/** The community and the viewer's membership, when the viewer may see it; otherwise 404 (out of reach). */
export async function getVisibleCommunity(
  db: DbOrTrx,
  viewer: Viewer,
  communityId: number,
): Promise<{ community: CommunityRow; membership: MembershipRow | undefined }> {
  const found = await findCommunityWithMembership(db, communityId, viewer.id);
  if (!found) throw new AppError('not_found', 'Community not found.');
  if (!canSee(viewer, found.community, found.membership)) {
    // The invitee who follows an expired invitation's link is told so, and what to do.
    if (viewer.status === 'active' && invitationExpired(found.membership))
      throw new AppError(
        'invitation_expired',
        `Your invitation to ${found.community.name} has expired. Ask one of its leaders to invite you again.`,
        { communityName: found.community.name },
      );
    throw new AppError('not_found', 'Community not found.');
  }
  return found;
}

/** The community and the viewer's membership, if the viewer is a site admin or one of its leaders; else 404 or 403. */
export async function getManagedCommunity(
  db: DbOrTrx,
  viewer: Viewer,
  communityId: number,
): Promise<{ community: CommunityRow; membership: MembershipRow | undefined }> {
  const found = await getVisibleCommunity(db, viewer, communityId);
  if (!canManage(viewer, found.community, found.membership))
    throw new AppError('forbidden', 'Only site admins and this community’s leaders may do that.');
  return found;
}
