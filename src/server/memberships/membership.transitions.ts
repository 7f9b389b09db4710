/**
 * The membership's life as one pure table: from-state × event → the state it moves to, or the
 * refusal with its reason. Every writer of the membership table (direct invites, Data Tools,
 * the community's Join and Leave, landing pages, leaders' decisions, deactivation, person
 * merges) asks this table; the repository's compare-and-set writes take their `from` states from
 * it (fromStatesOf), so a rule is written once.
 *
 * "none" is the pair without a membership row. The table is frozen and every answer is one of
 * its frozen cells: a million-row job consults it per row without allocating.
 */
import { type MembershipState, membershipStates, type PersonStatus, personStatuses } from '../../shared/enums.js';

/** A membership's state, or "none" when the (community, person) pair has no row. */
export type StateOrNone = MembershipState | 'none';
export const statesOrNone: readonly StateOrNone[] = Object.freeze(['none', ...membershipStates]);

export const membershipEvents = [
  /** a leader, an admin or a Data Tools job invites the person */
  'invite',
  /** the person joins at once (the community's Join, entitled by joinMode) */
  'join',
  /** the person joins through the community's landing page (a leader's removal holds there) */
  'landing_join',
  /** the person asks to join (a private community, or a pending person's landing visit) */
  'request',
  /** a leader, an admin or the person's own approval by an admin accepts the request */
  'approve',
  /** an open request is declined by a leader, or an open invitation by the invitee */
  'decline',
  /** the invitee's "Not now": the invitation is hidden from home, and still open */
  'dismiss',
  /** the invitee brings a hidden ("Not now") invitation back to home */
  'restore',
  /** the member leaves, or withdraws their request */
  'leave',
  /** a leader removes a member */
  'remove',
  /** a leader or admin revokes an open invitation */
  'revoke',
  /** an open invitation runs out (the lifecycle's sweep) */
  'expire',
  /** the person is deactivated: their open invitations and requests close */
  'close',
  /** the person is merged into another: see mergedState for the pair's surviving state */
  'merge',
] as const;
export type MembershipEvent = (typeof membershipEvents)[number];

/** Why an event does not apply to a state: also the outcome word a caller reports. */
export type RefusalReason =
  | 'already_member'
  | 'already_invited'
  | 'already_requested'
  | 'removed'
  | 'no_request'
  | 'no_invitation'
  | 'not_hidden'
  | 'not_member';

export type Transition =
  { readonly ok: true; readonly to: StateOrNone } | { readonly ok: false; readonly reason: RefusalReason };

const to = (state: StateOrNone): Transition => Object.freeze({ ok: true, to: state });
const no = (reason: RefusalReason): Transition => Object.freeze({ ok: false, reason });

/**
 * The table, row by row. An open invitation is `invited` or, hidden by "Not now", `dismissed`:
 * both can be joined, declined, revoked, expired and closed. Decline and expire end in `left`:
 * an invitation that ran out or was declined is as if there had been none, so the person may be
 * invited again, join a public community or through its landing page, or ask to join a private
 * one (an invite-only community stays closed to them). Revoke and close end in `removed`, which a
 * landing page's link does not undo. Merge keeps the state here and lets mergedState pick
 * between the two people's memberships.
 */
const rows: Record<StateOrNone, Record<MembershipEvent, Transition>> = {
  none: {
    invite: to('invited'),
    join: to('joined'),
    landing_join: to('joined'),
    request: to('requested'),
    approve: no('no_request'),
    decline: no('no_request'),
    dismiss: no('no_invitation'),
    restore: no('no_invitation'),
    leave: no('not_member'),
    remove: no('not_member'),
    revoke: no('no_invitation'),
    expire: no('no_invitation'),
    close: no('no_invitation'),
    merge: to('none'),
  },
  invited: {
    invite: no('already_invited'),
    join: to('joined'),
    landing_join: to('joined'),
    request: no('already_invited'),
    approve: no('no_request'),
    decline: to('left'),
    dismiss: to('dismissed'),
    restore: no('not_hidden'),
    leave: no('not_member'),
    remove: no('not_member'),
    revoke: to('removed'),
    expire: to('left'),
    close: to('removed'),
    merge: to('invited'),
  },
  joined: {
    invite: no('already_member'),
    join: no('already_member'),
    landing_join: no('already_member'),
    request: no('already_member'),
    approve: no('already_member'),
    decline: no('already_member'),
    dismiss: no('already_member'),
    restore: no('already_member'),
    leave: to('left'),
    remove: to('removed'),
    revoke: no('already_member'),
    expire: no('already_member'),
    close: no('already_member'),
    merge: to('joined'),
  },
  requested: {
    invite: to('invited'),
    join: to('joined'),
    landing_join: to('joined'),
    request: no('already_requested'),
    approve: to('joined'),
    decline: to('removed'),
    dismiss: no('no_invitation'),
    restore: no('no_invitation'),
    leave: to('left'),
    remove: no('not_member'),
    revoke: no('no_invitation'),
    expire: no('no_invitation'),
    close: to('removed'),
    merge: to('requested'),
  },
  dismissed: {
    invite: to('invited'),
    join: to('joined'),
    landing_join: to('joined'),
    request: to('requested'),
    approve: no('no_request'),
    decline: to('left'),
    dismiss: no('no_invitation'),
    restore: to('invited'),
    leave: no('not_member'),
    remove: no('not_member'),
    revoke: to('removed'),
    expire: to('left'),
    close: to('removed'),
    merge: to('dismissed'),
  },
  left: {
    invite: to('invited'),
    join: to('joined'),
    landing_join: to('joined'),
    request: to('requested'),
    approve: no('no_request'),
    decline: no('no_request'),
    dismiss: no('no_invitation'),
    restore: no('no_invitation'),
    leave: no('not_member'),
    remove: no('not_member'),
    revoke: no('no_invitation'),
    expire: no('no_invitation'),
    close: no('no_invitation'),
    merge: to('left'),
  },
  removed: {
    invite: to('invited'),
    join: to('joined'),
    landing_join: no('removed'),
    request: to('requested'),
    approve: no('no_request'),
    decline: no('no_request'),
    dismiss: no('no_invitation'),
    restore: no('no_invitation'),
    leave: no('not_member'),
    remove: no('not_member'),
    revoke: no('no_invitation'),
    expire: no('no_invitation'),
    close: no('no_invitation'),
    merge: to('removed'),
  },
};

export const transitionTable: Readonly<Record<StateOrNone, Readonly<Record<MembershipEvent, Transition>>>> =
  Object.freeze(Object.fromEntries(Object.entries(rows).map(([s, r]) => [s, Object.freeze(r)])) as typeof rows);

/** What `event` does to a membership in `from` (undefined or null: no membership). */
export function transition(from: StateOrNone | undefined | null, event: MembershipEvent): Transition {
  return transitionTable[from ?? 'none'][event];
}

const fromStates = Object.freeze(
  Object.fromEntries(
    membershipEvents.map((event) => [
      event,
      Object.freeze(
        membershipStates.filter((s) => {
          const t = transitionTable[s][event];
          return t.ok && t.to !== s;
        }),
      ),
    ]),
  ) as Record<MembershipEvent, readonly MembershipState[]>,
);

/**
 * The existing states `event` moves somewhere else: the `state IN (…)` of a compare-and-set
 * update, so that parallel writers end in one state the table allows.
 */
export function fromStatesOf(event: MembershipEvent): readonly MembershipState[] {
  return fromStates[event];
}

/** The state `event` moves every state in fromStatesOf(event) to, when it is one state (e.g. revoke → removed). */
export function targetOf(event: MembershipEvent): MembershipState {
  const targets = new Set(fromStatesOf(event).map((s) => (transitionTable[s][event] as { to: MembershipState }).to));
  const [only] = targets;
  if (targets.size !== 1 || only === undefined) throw new Error(`The event ${event} has no single target state.`);
  return only;
}

/**
 * Merging two people who both have a membership in one community: the state that keeps more of
 * what the person has (joined > invited > requested > dismissed > left > removed).
 */
const mergeRank: readonly StateOrNone[] = Object.freeze([
  'none',
  'removed',
  'left',
  'dismissed',
  'requested',
  'invited',
  'joined',
]);

export function mergedState(kept: StateOrNone, merged: StateOrNone): StateOrNone {
  const keptAfter = transition(kept, 'merge');
  const base = keptAfter.ok ? keptAfter.to : kept;
  return mergeRank.indexOf(merged) > mergeRank.indexOf(base) ? merged : base;
}

/** Why an invitation is not written: the membership's refusal, or the person's status. */
export type InviteRefusal = 'already_member' | 'already_invited' | 'person_pending' | 'person_inactive';

export type InviteDecision = { readonly invite: true } | { readonly invite: false; readonly reason: InviteRefusal };

const inviteRefusalOf = (reason: RefusalReason): InviteRefusal =>
  reason === 'already_invited' ? 'already_invited' : 'already_member';

const personGate: Readonly<Partial<Record<PersonStatus, InviteRefusal>>> = Object.freeze({
  pending: 'person_pending',
  inactive: 'person_inactive',
});

const inviteDecisions = Object.freeze(
  Object.fromEntries(
    personStatuses.map((status) => [
      status,
      Object.freeze(
        Object.fromEntries(
          statesOrNone.map((state): [StateOrNone, InviteDecision] => {
            const gate = personGate[status];
            if (gate) return [state, Object.freeze({ invite: false, reason: gate })];
            const t = transitionTable[state].invite;
            return [
              state,
              t.ok
                ? Object.freeze({ invite: true })
                : Object.freeze({ invite: false, reason: inviteRefusalOf(t.reason) }),
            ];
          }),
        ),
      ),
    ]),
  ) as Record<PersonStatus, Record<StateOrNone, InviteDecision>>,
);

/**
 * The recipient outcome table of the product (a direct invite's recipient, a Data Tools row):
 * people awaiting site approval and inactive people are never invited; otherwise the invite
 * event's row of the transition table decides. A frozen answer, no allocation.
 */
export function decideInvite(status: PersonStatus, state: StateOrNone | undefined | null): InviteDecision {
  return inviteDecisions[status][state ?? 'none'];
}
