/**
 * The member count a public landing page shows, counted on each view so that it is current the
 * moment someone joins (from this page, an invitation, an approval or a data job, in any process).
 * The count reads `membership_community_state_idx` (community, state): a range of the index, not
 * the table, so a large community's count stays cheap without a cache to go stale.
 */
import type { AppContext } from '../context.js';
import { countMembershipsInState } from '../memberships/index.js';

export function landingMemberCount(ctx: AppContext, communityId: number): Promise<number> {
  return countMembershipsInState(ctx.db, communityId, 'joined');
}
