/** The community policy as pure functions: who sees, manages and how Join works, by privacy, status and membership. */
import { describe, expect, it } from 'vitest';
import type { MembershipState, Privacy } from '../../shared/enums.js';
import { canManage, canSee, canSeeMembers, joinMode, type Viewer } from './membership.policy.js';

const member: Viewer = { id: 1, is_admin: 0, status: 'active' };
const admin: Viewer = { id: 2, is_admin: 1, status: 'active' };
const pending: Viewer = { id: 3, is_admin: 0, status: 'pending' };
const as = (state: MembershipState, role: 'member' | 'leader' = 'member') => ({ state, role });
const c = (privacy: Privacy) => ({ privacy });

describe('membership policy', () => {
  it('shows invite-only communities only to their members, invitees and admins', () => {
    expect(canSee(member, c('invite_only'), undefined)).toBe(false);
    expect(canSee(member, c('invite_only'), as('left'))).toBe(false);
    expect(canSee(member, c('invite_only'), as('invited'))).toBe(true);
    // "Not now" hides an invitation that is still open
    expect(canSee(member, c('invite_only'), as('dismissed'))).toBe(true);
    expect(canSee(member, c('invite_only'), as('joined'))).toBe(true);
    expect(canSee(admin, c('invite_only'), undefined)).toBe(true);
    expect(canSee(member, c('private'), undefined)).toBe(true);
    expect(canSee(pending, c('public'), undefined)).toBe(false);
  });

  it('shows a private community’s members to its members only; invitees see the public face', () => {
    expect(canSeeMembers(member, c('public'), undefined)).toBe(true);
    expect(canSeeMembers(member, c('private'), undefined)).toBe(false);
    expect(canSeeMembers(member, c('private'), as('invited'))).toBe(false);
    expect(canSeeMembers(member, c('private'), as('joined'))).toBe(true);
    expect(canSeeMembers(admin, c('invite_only'), undefined)).toBe(true);
  });

  it('lets site admins and joined leaders manage', () => {
    expect(canManage(admin, c('public'), undefined)).toBe(true);
    expect(canManage(member, c('public'), as('joined', 'leader'))).toBe(true);
    expect(canManage(member, c('public'), as('joined'))).toBe(false);
    expect(canManage(member, c('public'), as('left', 'leader'))).toBe(false);
    expect(canManage({ ...admin, status: 'inactive' }, c('public'), undefined)).toBe(false);
  });

  it('joins at once with an invitation whatever the privacy, else by privacy', () => {
    expect(joinMode(member, c('invite_only'), as('invited'))).toBe('join');
    expect(joinMode(member, c('private'), as('dismissed'))).toBe('join');
    expect(joinMode(member, c('public'), undefined)).toBe('join');
    expect(joinMode(member, c('private'), undefined)).toBe('request');
    expect(joinMode(admin, c('private'), undefined)).toBe('join');
    expect(joinMode(member, c('invite_only'), undefined)).toBe(null);
    expect(joinMode(member, c('public'), as('joined'))).toBe(null);
    expect(joinMode(member, c('private'), as('requested'))).toBe(null);
    expect(joinMode(pending, c('public'), undefined)).toBe(null);
  });
});
