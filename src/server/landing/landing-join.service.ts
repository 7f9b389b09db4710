/**
 * The membership side of a landing visit: join exactly once, or remember the join of a person who
 * awaits approval (state requested, source landing; the people feature's approvePerson turns it
 * into a membership).
 */
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import {
  fromStatesOf,
  insertMembershipIfAbsent,
  lockMembership,
  moveMembership,
  transition,
} from '../memberships/index.js';
import { bumpLandingStat } from './landing-stat.repository.js';

export type JoinResult = 'joined' | 'already_member' | 'not_joined';

/**
 * Joins an active person to the community, in the caller's transaction. A member stays as is (a
 * second visit only signs in); a person a leader removed is not joined back by a public link.
 * Joining from the landing page needs no further approval, whatever the privacy: the page is
 * the community's own open invitation, switched on by its leaders.
 */
export async function joinFromLanding(
  ctx: AppContext,
  trx: DbOrTrx,
  communityId: number,
  personId: number,
): Promise<JoinResult> {
  const now = ctx.clock.now();
  const existing = await lockMembership(trx, communityId, personId);
  const move = transition(existing?.state, 'landing_join');
  if (!move.ok) return move.reason === 'removed' ? 'not_joined' : 'already_member';
  // A parallel visit may insert or move first; then the person is a member and this visit only signs in.
  const joined = existing
    ? await moveMembership(trx, communityId, personId, fromStatesOf('landing_join'), 'joined', now, { joined_at: now })
    : await insertMembershipIfAbsent(trx, { communityId, personId, state: 'joined', source: 'landing' }, now);
  if (!joined) return 'already_member';
  await bumpLandingStat(trx, communityId, 'joined', now);
  return 'joined';
}

/** Remembers the join of a person who now awaits an admin's approval (state requested, source landing). */
export async function rememberLandingJoin(
  ctx: AppContext,
  trx: DbOrTrx,
  communityId: number,
  personId: number,
): Promise<void> {
  await insertMembershipIfAbsent(
    trx,
    { communityId, personId, state: 'requested', source: 'landing' },
    ctx.clock.now(),
  );
}
