/**
 * The whole transition table, pair by pair: every from-state × event is generated and compared
 * with the table written out below (a state name, or "no: reason"). A pair missing from the
 * expectation, or an expectation for a pair that does not exist, fails.
 */
import { describe, expect, it } from 'vitest';
import { personStatuses } from '../../shared/enums.js';
import {
  decideInvite,
  fromStatesOf,
  mergedState,
  membershipEvents,
  type StateOrNone,
  statesOrNone,
  targetOf,
  transition,
  transitionTable,
} from './membership.transitions.js';

// prettier-ignore
const expected: Record<string, Record<string, string>> = {
  none: {
    invite: 'invited', join: 'joined', landing_join: 'joined', request: 'requested',
    approve: 'no: no_request', decline: 'no: no_request', dismiss: 'no: no_invitation', leave: 'no: not_member',
    remove: 'no: not_member', revoke: 'no: no_invitation', expire: 'no: no_invitation', close: 'no: no_invitation',
    restore: 'no: no_invitation',
    merge: 'none',
  },
  invited: {
    invite: 'no: already_invited', join: 'joined', landing_join: 'joined', request: 'no: already_invited',
    approve: 'no: no_request', decline: 'left', dismiss: 'dismissed', leave: 'no: not_member',
    remove: 'no: not_member', revoke: 'removed', expire: 'left', close: 'removed',
    restore: 'no: not_hidden',
    merge: 'invited',
  },
  joined: {
    invite: 'no: already_member', join: 'no: already_member', landing_join: 'no: already_member',
    request: 'no: already_member', approve: 'no: already_member', decline: 'no: already_member',
    dismiss: 'no: already_member', leave: 'left', remove: 'removed', revoke: 'no: already_member',
    expire: 'no: already_member', close: 'no: already_member',
    restore: 'no: already_member',
    merge: 'joined',
  },
  requested: {
    invite: 'invited', join: 'joined', landing_join: 'joined', request: 'no: already_requested',
    approve: 'joined', decline: 'removed', dismiss: 'no: no_invitation', leave: 'left',
    remove: 'no: not_member', revoke: 'no: no_invitation', expire: 'no: no_invitation', close: 'removed',
    restore: 'no: no_invitation',
    merge: 'requested',
  },
  dismissed: {
    invite: 'invited', join: 'joined', landing_join: 'joined', request: 'requested',
    approve: 'no: no_request', decline: 'left', dismiss: 'no: no_invitation', leave: 'no: not_member',
    remove: 'no: not_member', revoke: 'removed', expire: 'left', close: 'removed',
    restore: 'invited',
    merge: 'dismissed',
  },
  left: {
    invite: 'invited', join: 'joined', landing_join: 'joined', request: 'requested',
    approve: 'no: no_request', decline: 'no: no_request', dismiss: 'no: no_invitation', leave: 'no: not_member',
    remove: 'no: not_member', revoke: 'no: no_invitation', expire: 'no: no_invitation', close: 'no: no_invitation',
    restore: 'no: no_invitation',
    merge: 'left',
  },
  removed: {
    invite: 'invited', join: 'joined', landing_join: 'no: removed', request: 'requested',
    approve: 'no: no_request', decline: 'no: no_request', dismiss: 'no: no_invitation', leave: 'no: not_member',
    remove: 'no: not_member', revoke: 'no: no_invitation', expire: 'no: no_invitation', close: 'no: no_invitation',
    restore: 'no: no_invitation',
    merge: 'removed',
  },
};

const pairs = statesOrNone.flatMap((from) => membershipEvents.map((event) => [from, event] as const));

describe('membership transitions', () => {
  it('has an expectation for every pair and no other', () => {
    expect(pairs).toHaveLength(7 * 14);
    const expectedPairs = Object.entries(expected).flatMap(([from, events]) =>
      Object.keys(events).map((event) => `${from} × ${event}`),
    );
    expect(expectedPairs.sort()).toEqual(pairs.map(([from, event]) => `${from} × ${event}`).sort());
  });

  it.each(pairs)('%s × %s', (from, event) => {
    const t = transition(from, event);
    expect(t.ok ? t.to : `no: ${t.reason}`).toBe(expected[from]?.[event]);
  });

  it('treats a missing membership as none', () => {
    expect(transition(undefined, 'invite')).toBe(transitionTable.none.invite);
    expect(transition(null, 'join')).toBe(transitionTable.none.join);
  });

  it('is frozen, and answers with the same cell every time', () => {
    expect(Object.isFrozen(transitionTable)).toBe(true);
    expect(Object.isFrozen(transitionTable.invited)).toBe(true);
    expect(Object.isFrozen(transitionTable.invited.revoke)).toBe(true);
    expect(transition('invited', 'revoke')).toBe(transition('invited', 'revoke'));
  });

  it('derives the compare-and-set states of each event', () => {
    expect(fromStatesOf('invite')).toEqual(['requested', 'dismissed', 'left', 'removed']);
    expect(fromStatesOf('leave')).toEqual(['joined', 'requested']);
    expect(fromStatesOf('close')).toEqual(['invited', 'requested', 'dismissed']);
    expect(fromStatesOf('restore')).toEqual(['dismissed']);
    expect(fromStatesOf('expire')).toEqual(['invited', 'dismissed']);
    expect(fromStatesOf('landing_join')).toEqual(['invited', 'requested', 'dismissed', 'left']);
    expect(fromStatesOf('merge')).toEqual([]);
    expect(targetOf('close')).toBe('removed');
    expect(targetOf('revoke')).toBe('removed');
    expect(targetOf('dismiss')).toBe('dismissed');
    expect(targetOf('expire')).toBe('left');
    expect(targetOf('restore')).toBe('invited');
    expect(() => targetOf('decline')).toThrow();
  });

  it('after an invitation expires, what the person may do is what they may do without one', () => {
    const personsOwn = ['invite', 'join', 'landing_join', 'request'] as const;
    for (const open of ['invited', 'dismissed'] as const) {
      const expired = transition(open, 'expire');
      expect(expired.ok).toBe(true);
      if (!expired.ok) continue;
      for (const event of personsOwn) expect(transition(expired.to, event), event).toEqual(transition('none', event));
    }
    // a revoked invitation or a closed one is not: a landing page's link does not undo them
    for (const ended of ['revoke', 'close'] as const) {
      const t = transition('invited', ended);
      expect(t.ok && transition(t.to, 'landing_join')).toEqual({ ok: false, reason: 'removed' });
    }
  });

  it('keeps the stronger of two merged memberships', () => {
    const rank: StateOrNone[] = ['none', 'removed', 'left', 'dismissed', 'requested', 'invited', 'joined'];
    for (const a of statesOrNone)
      for (const b of statesOrNone) {
        expect(mergedState(a, b)).toBe(rank.indexOf(b) > rank.indexOf(a) ? b : a);
      }
  });
});

describe('decideInvite: the recipient outcome table', () => {
  // prettier-ignore
  const byState: Record<StateOrNone, string> = {
    none: 'invite', invited: 'already_invited', joined: 'already_member', requested: 'invite',
    dismissed: 'invite', left: 'invite', removed: 'invite',
  };
  const cases = personStatuses.flatMap((status) => statesOrNone.map((state) => [status, state] as const));

  it.each(cases)('person %s, membership %s', (status, state) => {
    const d = decideInvite(status, state);
    const want = status === 'pending' ? 'person_pending' : status === 'inactive' ? 'person_inactive' : byState[state];
    expect(d.invite ? 'invite' : d.reason).toBe(want);
    expect(decideInvite(status, state)).toBe(d);
  });
});
