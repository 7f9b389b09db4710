/**
 * Authorization matrix rows for invitations: inviting, the Invited directory, revoke, resend and
 * the typeahead are for site admins and the community's leaders; the invitee's side for anyone
 * signed in.
 */
import { type AuthzRow, type AuthzWorld, type CallerKind, expectations } from '../testing/authz.js';
import { addMembership, buildCommunity, buildPerson } from '../testing/factories.js';

const managers = expectations.managersOfHere();

/** A fresh person with an open invitation to `here`, for rows that change it. */
const freshInvitee = (action: 'revoke' | 'resend' | 'extend') => async (w: AuthzWorld) => {
  const p = await buildPerson(w.ctx);
  await addMembership(w.ctx, w.here.id, p.id, 'invited', 'member', w.people.leaderHere.id);
  return { url: `/api/communities/${w.here.id}/invitations/${p.id}/${action}` };
};

export const authzRows: AuthzRow[] = [
  {
    route: 'POST /api/communities/:id/invitations',
    expect: managers,
    request: async (w) => ({
      url: `/api/communities/${w.here.id}/invitations`,
      body: { personIds: [(await buildPerson(w.ctx)).id], sendEmail: false },
    }),
  },
  {
    route: 'GET /api/communities/:id/invite-quota',
    expect: managers,
    request: (w) => ({ url: `/api/communities/${w.here.id}/invite-quota` }),
  },
  {
    route: 'GET /api/communities/:id/invitations',
    expect: managers,
    request: (w) => ({ url: `/api/communities/${w.here.id}/invitations` }),
  },
  {
    route: 'POST /api/communities/:id/invitations/:personId/revoke',
    expect: managers,
    request: freshInvitee('revoke'),
  },
  {
    route: 'GET /api/communities/:id/invitations.csv',
    expect: managers,
    request: (w) => ({ url: `/api/communities/${w.here.id}/invitations.csv?state=open` }),
  },
  {
    route: 'POST /api/communities/:id/invitations/:personId/undo-revoke',
    expect: managers,
    note: 'a fresh invitation per caller, revoked just now by that caller (only its author may undo a revoke)',
    request: async (w: AuthzWorld, caller: CallerKind) => {
      const p = await buildPerson(w.ctx);
      await addMembership(w.ctx, w.here.id, p.id, 'invited', 'member', w.people.leaderHere.id);
      if (caller !== 'anonymous') {
        const now = w.ctx.clock.now();
        await w.ctx.db
          .updateTable('membership')
          .set({ state: 'removed', ended_by: 'revoke', revoked_by: w.people[caller].id, revoked_at: now })
          .where('community_id', '=', w.here.id)
          .where('person_id', '=', p.id)
          .execute();
      }
      return { url: `/api/communities/${w.here.id}/invitations/${p.id}/undo-revoke` };
    },
  },
  {
    route: 'POST /api/communities/:id/invitations/:personId/resend',
    expect: managers,
    request: freshInvitee('resend'),
    note: 'never emailed before, so the first send is allowed at once',
  },
  {
    route: 'POST /api/communities/:id/invitations/:personId/extend',
    expect: managers,
    request: async (w) => ({ ...(await freshInvitee('extend')(w)), body: {} }),
  },
  {
    route: 'GET /api/people/search',
    expect: managers,
    request: (w) => ({ url: `/api/people/search?q=te&communityId=${w.here.id}` }),
    note: 'leaders search with their community; admins may also search without one',
  },
  { route: 'GET /api/me/recommended-communities', expect: expectations.signedIn() },
  {
    route: 'POST /api/communities/:id/dismiss',
    expect: expectations.signedIn(),
    note: 'a fresh community per caller, with an open invitation for that caller',
    request: async (w: AuthzWorld, caller: CallerKind) => {
      const c = await buildCommunity(w.ctx, { privacy: 'invite_only' });
      if (caller !== 'anonymous') await addMembership(w.ctx, c.id, w.people[caller].id, 'invited');
      return { url: `/api/communities/${c.id}/dismiss` };
    },
  },
  {
    route: 'POST /api/communities/:id/decline',
    expect: expectations.signedIn(),
    note: 'a fresh community per caller, with an open invitation for that caller',
    request: async (w: AuthzWorld, caller: CallerKind) => {
      const c = await buildCommunity(w.ctx, { privacy: 'invite_only' });
      if (caller !== 'anonymous') await addMembership(w.ctx, c.id, w.people[caller].id, 'invited');
      return { url: `/api/communities/${c.id}/decline` };
    },
  },
  {
    route: 'POST /api/communities/:id/restore',
    expect: expectations.signedIn(),
    note: 'a fresh community per caller, with an invitation that caller hid by "Not now"',
    request: async (w: AuthzWorld, caller: CallerKind) => {
      const c = await buildCommunity(w.ctx, { privacy: 'invite_only' });
      if (caller !== 'anonymous') await addMembership(w.ctx, c.id, w.people[caller].id, 'dismissed');
      return { url: `/api/communities/${c.id}/restore` };
    },
  },
];
