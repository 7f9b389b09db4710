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

/** A page whose slug changed: its old address answers 301 for everyone (the web app serves the rest). */
const movedPage = async (w: AuthzWorld) => {
  const c = await buildCommunity(w.ctx, { landingEnabled: true });
  const now = w.ctx.clock.now();
  await w.ctx.db
    .insertInto('community_slug_history')
    .values({ slug: `old-${c.slug}`, community_id: c.id, created_at: now })
    .execute();
  return `/join/old-${c.slug}`;
};

export const authzRows: AuthzRow[] = [
  { route: 'GET /join/:slug', expect: expectations.open(301), request: async (w) => ({ url: await movedPage(w) }) },
  {
    route: 'GET /api/landing/:slug',
    expect: expectations.open(),
    request: async (w) => ({ url: `/api/landing/${await openPage(w)}` }),
  },
  {
    route: 'POST /api/landing/:slug/code',
    expect: expectations.open(),
    request: async (w) => ({
      url: `/api/landing/${await openPage(w)}/code`,
      body: { email: `authz-${unique()}@example.test` },
    }),
  },
  {
    route: 'POST /api/landing/:slug/verify',
    expect: expectations.open(400),
    note: 'no code was asked for in this browser: refused alike for everyone',
    request: async (w) => ({
      url: `/api/landing/${await openPage(w)}/verify`,
      body: { email: `authz-${unique()}@example.test`, code: '123456' },
    }),
  },
  {
    route: 'POST /api/landing/:slug/link',
    expect: expectations.open(400),
    note: 'an unknown link token: refused alike for everyone',
    request: async (w) => ({
      url: `/api/landing/${await openPage(w)}/link`,
      body: { token: `not-a-token-${unique()}` },
    }),
  },
  {
    route: 'POST /api/landing/:slug/join',
    expect: expectations.signedIn(),
    note: 'any active person joins from an open page',
    request: async (w) => ({ url: `/api/landing/${await openPage(w)}/join` }),
  },
  { route: 'GET /api/communities/:id/landing', expect: managers },
  {
    route: 'PATCH /api/communities/:id/landing',
    expect: managers,
    request: (w) => ({ url: `/api/communities/${w.here.id}/landing`, body: { landingHeadline: `Edited ${unique()}` } }),
  },
  { route: 'GET /api/communities/:id/landing/stats', expect: managers },
  {
    route: 'PUT /api/communities/:id/landing/image',
    expect: expectations.managersOfHere(415),
    request: (w) => ({ url: `/api/communities/${w.here.id}/landing/image`, body: {} }),
    note: 'a manager sending JSON instead of multipart is told to send the image as multipart/form-data',
  },
  {
    route: 'DELETE /api/communities/:id/landing/image',
    expect: expectations.managersOfHere(404),
    note: 'the page has no image: a manager is told there is nothing to remove',
  },
  {
    route: 'GET /api/landing/:slug/image',
    expect: expectations.open(404),
    note: 'a page without an image answers 404 alike for everyone',
    request: async (w) => ({ url: `/api/landing/${await openPage(w)}/image` }),
  },
  { route: 'GET /api/communities/:id/landing/stats.csv', expect: managers },
  { route: 'GET /api/communities/:id/landing/qr.png', expect: managers },
  { route: 'GET /api/communities/:id/landing/qr.svg', expect: managers },
];
