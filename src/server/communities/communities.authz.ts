/**
 * Authorization matrix rows for communities. `here` is private (member, leaderHere), `hidden` is
 * invite-only with no members: out of reach answers 404, within reach but not allowed 403.
 */
import { type AuthzRow, type AuthzWorld, type CallerKind, expectations } from '../testing/authz.js';
import { addMembership, buildCommunity, buildPerson } from '../testing/factories.js';

let n = 0;
const unique = () => `${Date.now().toString(36)}${n++}`;
const managers = expectations.managersOfHere();
const hiddenExceptAdmin = { ...expectations.signedIn(404), admin: 200 };

/** A fresh person in `here` with this membership, for rows that change it. */
const freshInHere =
  (state: 'requested' | 'joined', role: 'member' | 'leader', path: (w: AuthzWorld, personId: number) => string) =>
  async (w: AuthzWorld) => {
    const p = await buildPerson(w.ctx);
    await addMembership(w.ctx, w.here.id, p.id, state, role);
    return { url: path(w, p.id) };
  };

export const authzRows: AuthzRow[] = [
  { route: 'GET /api/communities', expect: expectations.signedIn() },
  {
    route: 'GET /api/communities/:id',
    expect: hiddenExceptAdmin,
    request: (w) => ({ url: `/api/communities/${w.hidden.id}` }),
    note: 'invite-only: out of reach for everyone but admins and its members/invitees',
  },
  {
    route: 'PATCH /api/communities/:id',
    expect: managers,
    request: (w) => ({ url: `/api/communities/${w.here.id}`, body: { headline: `Edited ${unique()}` } }),
  },
  {
    route: 'GET /api/communities/:id/members',
    expect: { ...expectations.signedIn(), leaderElsewhere: 403 },
    note: 'private community: members and admins see the directory',
  },
  {
    route: 'POST /api/communities/:id/join',
    expect: hiddenExceptAdmin,
    request: (w) => ({ url: `/api/communities/${w.hidden.id}/join` }),
  },
  {
    route: 'POST /api/communities/:id/leave',
    expect: { ...expectations.signedIn(), leaderElsewhere: 409, admin: 409 },
    note: 'a fresh community per caller; members and leaders of it leave, others are not members',
    request: async (w: AuthzWorld, caller: CallerKind) => {
      const c = await buildCommunity(w.ctx, { privacy: 'private' });
      if (caller === 'member' || caller === 'inactive') await addMembership(w.ctx, c.id, w.people[caller].id, 'joined');
      if (caller === 'leaderHere') await addMembership(w.ctx, c.id, w.people.leaderHere.id, 'joined', 'leader');
      return { url: `/api/communities/${c.id}/leave` };
    },
  },
  {
    route: 'POST /api/communities/:id/requests/:personId/approve',
    expect: managers,
    request: freshInHere('requested', 'member', (w, id) => `/api/communities/${w.here.id}/requests/${id}/approve`),
  },
  {
    route: 'POST /api/communities/:id/requests/:personId/decline',
    expect: managers,
    request: freshInHere('requested', 'member', (w, id) => `/api/communities/${w.here.id}/requests/${id}/decline`),
  },
  {
    route: 'POST /api/communities/:id/leaders/:personId',
    expect: managers,
    request: freshInHere('joined', 'member', (w, id) => `/api/communities/${w.here.id}/leaders/${id}`),
  },
  {
    route: 'DELETE /api/communities/:id/leaders/:personId',
    expect: managers,
    request: freshInHere('joined', 'leader', (w, id) => `/api/communities/${w.here.id}/leaders/${id}`),
  },
  { route: 'GET /api/admin/communities', expect: expectations.adminOnly() },
  {
    route: 'POST /api/admin/communities',
    expect: expectations.adminOnly(201),
    request: () => ({ url: '/api/admin/communities', body: { name: `Authz ${unique()}`, privacy: 'public' } }),
  },
  {
    route: 'PATCH /api/admin/communities/:id',
    expect: expectations.adminOnly(),
    request: (w) => ({ url: `/api/admin/communities/${w.here.id}`, body: { description: `Edited ${unique()}` } }),
  },
];
