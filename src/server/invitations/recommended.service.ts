/**
 * The invitee's side: Recommended Communities on the home screen and "Not now". Join is the
 * communities feature's joinCommunity (an open invitation joins at once, whatever the privacy).
 */
import type { CommunityCard, RecommendedCommunities } from '../../shared/invitations.js';
import type { Caller } from '../http/caller.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import {
  closeInvitation,
  getVisibleCommunity,
  listJoinedCommunitiesOf,
  listOpenInvitationsOf,
  listSuggestedCommunities,
} from '../memberships/index.js';

const card = (c: { id: number; name: string; headline: string; slug: string; privacy: string }): CommunityCard => ({
  id: c.id,
  name: c.name,
  headline: c.headline,
  slug: c.slug,
  privacy: c.privacy,
});

export async function getRecommendedCommunities(ctx: AppContext, caller: Caller): Promise<RecommendedCommunities> {
  const personId = caller.person.id;
  const [invitations, communities, suggestions] = await Promise.all([
    listOpenInvitationsOf(ctx.db, personId, 100),
    listJoinedCommunitiesOf(ctx.db, personId, 500),
    listSuggestedCommunities(ctx.db, personId, 12),
  ]);
  return {
    invitations: invitations.map((i) => ({
      community: card(i),
      // An admin made by `convene admin add` may have no name yet: show their email, not a wrong "A leader".
      invitedBy:
        i.inviter_id === null
          ? null
          : {
              name:
                `${i.inviter_first_name ?? ''} ${i.inviter_last_name ?? ''}`.trim() || i.inviter_email || 'A leader',
            },
      invitedAt: i.invited_at,
      message: i.message,
    })),
    communities: communities.map((c) => ({ ...card(c), role: c.role })),
    suggestions: suggestions.map(card),
  };
}

/** "Not now": the open invitation becomes dismissed (a leader may invite again later). */
export async function dismissInvitation(ctx: AppContext, caller: Caller, communityId: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await getVisibleCommunity(trx, caller.person, communityId);
    if (!(await closeInvitation(trx, communityId, caller.person.id, 'dismiss', ctx.clock.now())))
      throw notFound('Open invitation');
  });
}
