/**
 * Who may invite into a community: site admins and the community's leaders. A community the
 * caller cannot see answers 404 (as if it did not exist); one they see but do not lead, 403.
 */
import type { Caller } from '../http/caller.js';
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow, MembershipRow } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import { findCommunityWithMembership } from './invitation.repository.js';

/** Invite-only communities are seen only by their members, their invitees and admins. */
export function canSeeCommunity(
  caller: Caller,
  community: CommunityRow,
  membership: MembershipRow | undefined,
): boolean {
  if (caller.person.is_admin === 1 && caller.person.status === 'active') return true;
  if (caller.person.status !== 'active') return false;
  if (community.privacy !== 'invite_only') return true;
  return membership?.state === 'joined' || membership?.state === 'invited';
}

export function isLeaderOf(membership: MembershipRow | undefined): boolean {
  return membership?.state === 'joined' && membership.role === 'leader';
}

/** The community, if the caller may see it; else 404. */
export async function getVisibleCommunity(
  db: DbOrTrx,
  caller: Caller,
  communityId: number,
): Promise<{ community: CommunityRow; membership: MembershipRow | undefined }> {
  const found = await findCommunityWithMembership(db, communityId, caller.person.id);
  if (!found || !canSeeCommunity(caller, found.community, found.membership)) throw notFound('Community');
  return found;
}

/** The community, if the caller is a site admin or one of its leaders; else 404 or 403. */
export async function getManagedCommunity(db: DbOrTrx, caller: Caller, communityId: number): Promise<CommunityRow> {
  const { community, membership } = await getVisibleCommunity(db, caller, communityId);
  if (!(caller.person.is_admin === 1 || isLeaderOf(membership))) {
    throw new AppError('forbidden', 'Only site admins and this community’s leaders may do that.');
  }
  return community;
}
