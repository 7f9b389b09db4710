/**
 * The community as a viewer may see it. Its own file because both the communities and the
 * landing services use it, and community.service.ts uses the landing settings in turn.
 */
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow, MembershipRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { canSee, type Viewer } from './community.policy.js';
import { findCommunityById, findMembership } from './community.repository.js';

/** The community and the viewer's membership, when the viewer may see it; otherwise 404 (out of reach). */
export async function getVisibleCommunity(
  db: DbOrTrx,
  viewer: Viewer,
  id: number,
): Promise<{ community: CommunityRow; membership: MembershipRow | undefined }> {
  const community = await findCommunityById(db, id);
  const membership = community ? await findMembership(db, id, viewer.id) : undefined;
  if (!community || !canSee(viewer, community, membership)) throw new AppError('not_found', 'Community not found.');
  return { community, membership };
}
