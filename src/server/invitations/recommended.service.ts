/**
 * The invitee's side: Recommended Communities on the home screen and the answers to an open
 * invitation — "Not now" (hidden, still open), restore (back on home) and decline (ended). Join
 * is the communities feature's joinCommunity (an open invitation joins at once, whatever the
 * privacy).
 */
import type { CommunityCard, RecommendedCommunities } from '../../shared/invitations.js';
import type { Caller } from '../http/caller.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import {
  closeInvitation,
  getVisibleCommunity,
  type InvitationEvent,
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

/**
 * Home: the open invitations (newest first), my communities and suggestions. With `hidden`, the
 * invitations hidden by "Not now" instead, and no communities or suggestions.
 */
export async function getRecommendedCommunities(
  ctx: AppContext,
  caller: Caller,
  options: { hidden?: boolean } = {},
): Promise<RecommendedCommunities> {
  const personId = caller.person.id;
  const hidden = options.hidden === true;
  const [invitations, communities, suggestions] = await Promise.all([
    listOpenInvitationsOf(ctx.db, personId, 100, hidden ? 'dismissed' : 'invited'),
    hidden ? [] : listJoinedCommunitiesOf(ctx.db, personId, 500),
    hidden ? [] : listSuggestedCommunities(ctx.db, personId, 12),
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
      expiresAt: i.expires_at,
      message: i.message,
    })),
    communities: communities.map((c) => ({ ...card(c), role: c.role })),
    suggestions: suggestions.map(card),
  };
}

async function answerInvitation(
  ctx: AppContext,
  caller: Caller,
  communityId: number,
  event: Extract<InvitationEvent, 'dismiss' | 'restore' | 'decline'>,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await getVisibleCommunity(trx, caller.person, communityId);
    if (!(await closeInvitation(trx, communityId, caller.person.id, event, ctx.clock.now())))
      throw notFound(event === 'restore' ? 'Hidden invitation' : 'Open invitation');
  });
}

/** "Not now": the open invitation is hidden from home (dismissed) and stays open; restore brings it back. */
export async function dismissInvitation(ctx: AppContext, caller: Caller, communityId: number): Promise<void> {
  await answerInvitation(ctx, caller, communityId, 'dismiss');
}

/** Brings an invitation hidden by "Not now" back to home. */
export async function restoreInvitation(ctx: AppContext, caller: Caller, communityId: number): Promise<void> {
  await answerInvitation(ctx, caller, communityId, 'restore');
}

/** Declines an open invitation (shown or hidden): it ends, leaders see "declined", a later invite is allowed. */
export async function declineInvitation(ctx: AppContext, caller: Caller, communityId: number): Promise<void> {
  await answerInvitation(ctx, caller, communityId, 'decline');
}
