/**
 * Authorization matrix rows for landing pages. The public page and its flow answer everyone the
 * same (the emailed code decides, not the caller); settings, QR codes and numbers are for site
 * admins and the community's leaders (`here` is private: visible to members, so 403 for them).
 */
import { type AuthzRow, type AuthzWorld, expectations } from '../testing/authz.js';
import { buildCommunity } from '../testing/factories.js';

let n = 0;
const unique = () => `${Date.now().toString(36)}${n++}`;
const managers = expectations.managersOfHere();

const openPage = async (w: AuthzWorld) => (await buildCommunity(w.ctx, { landingEnabled: true })).slug;

export const authzRows: AuthzRow[] = [
  { route: 'GET /api/landing/:slug', expect: expectations.open(), request: async (w) => ({ url: `/api/landing/${await openPage(w)}` }) },
  { route: 'POST /api/landing/:slug/code', expect: expectations.open(),
    request: async (w) => ({ url: `/api/landing/${await openPage(w)}/code`, body: { email: `authz-${unique()}@example.test` } }) },
  { route: 'POST /api/landing/:slug/verify', expect: expectations.open(400), note: 'no code was asked for in this browser: refused alike for everyone',
    request: async (w) => ({ url: `/api/landing/${await openPage(w)}/verify`, body: { email: `authz-${unique()}@example.test`, code: '123456' } }) },
  { route: 'POST /api/landing/:slug/link', expect: expectations.open(400), note: 'an unknown link token: refused alike for everyone',
    request: async (w) => ({ url: `/api/landing/${await openPage(w)}/link`, body: { token: `not-a-token-${unique()}` } }) },
  { route: 'GET /api/communities/:id/landing', expect: managers },
  { route: 'PATCH /api/communities/:id/landing', expect: managers,
    request: (w) => ({ url: `/api/communities/${w.here.id}/landing`, body: { landingHeadline: `Edited ${unique()}` } }) },
  { route: 'GET /api/communities/:id/landing/stats', expect: managers },
  { route: 'GET /api/communities/:id/landing/qr.png', expect: managers },
  { route: 'GET /api/communities/:id/landing/qr.svg', expect: managers },
];
