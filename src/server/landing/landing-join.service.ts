/**
 * The membership side of a landing visit: join exactly once, or remember the join of a person who
 * awaits approval (state requested, source landing; the people feature's approvePerson turns it
 * into a membership).
 */
import type { AppContext } from '../context.js';
import { isPostgres, type DbOrTrx } from '../db/db.js';
import { bumpLandingStat } from './landing-stat.repository.js';
import { insertLandingMembership, lockMembership, markMembershipJoined } from './landing.repository.js';

export type JoinResult = 'joined' | 'already_member' | 'not_joined';

/** States a landing visit turns into "joined": an open or past invitation, a request, a leave. */
const JOINABLE = ['invited', 'requested', 'dismissed', 'left'] as const;

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
  const existing = await lockMembership(trx, communityId, personId, isPostgres(trx));
  let joined: boolean;
  if (!existing) {
    // A parallel visit may insert first; then the person is a member and this visit only signs in.
    joined = await insertLandingMembership(trx, communityId, personId, 'joined', now);
  } else if (existing.state === 'joined') {
    return 'already_member';
  } else if (existing.state === 'removed') {
    return 'not_joined';
  } else {
    joined = await markMembershipJoined(trx, communityId, personId, JOINABLE, now);
  }
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
  await insertLandingMembership(trx, communityId, personId, 'requested', ctx.clock.now());
}
