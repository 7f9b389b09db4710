/** Matrix rows for feeds: admins define them; a script uploads with the feed's own token, never a session. */
import { type AuthzRow, type AuthzWorld, expectations } from '../testing/authz.js';
import { createFeed } from './feed.service.js';

let folders = 0;
async function freshFeed(w: AuthzWorld) {
  const { feed } = await createFeed(w.ctx, w.people.admin.id, {
    name: 'Authz feed',
    type: 'deactivate',
    folder: `authz-${++folders}`,
    mapping: { keyColumn: 'Unique ID', keyType: 'unique_id' },
    hasHeader: true,
    skipEmpty: true,
    reviewAbovePercent: 10,
    notify: 'never',
    enabled: true,
  });
  return feed;
}

export const authzRows: AuthzRow[] = [
  { route: 'GET /api/admin/feeds', expect: expectations.adminOnly() },
  {
    route: 'POST /api/admin/feeds',
    expect: expectations.adminOnly(201),
    request: () => ({
      url: '/api/admin/feeds',
      body: {
        name: 'Nightly deactivations',
        type: 'deactivate',
        folder: `authz-post-${++folders}`,
        mapping: { keyColumn: 'Unique ID' },
      },
    }),
  },
  {
    route: 'GET /api/admin/feeds/:id',
    expect: expectations.adminOnly(),
    request: async (w) => ({ url: `/api/admin/feeds/${(await freshFeed(w)).id}` }),
  },
  {
    route: 'PATCH /api/admin/feeds/:id',
    expect: expectations.adminOnly(),
    request: async (w) => ({ url: `/api/admin/feeds/${(await freshFeed(w)).id}`, body: { name: 'Renamed' } }),
  },
  {
    route: 'DELETE /api/admin/feeds/:id',
    expect: expectations.adminOnly(),
    request: async (w) => ({ url: `/api/admin/feeds/${(await freshFeed(w)).id}` }),
  },
  {
    route: 'POST /api/admin/feeds/:id/token',
    expect: expectations.adminOnly(),
    request: async (w) => ({ url: `/api/admin/feeds/${(await freshFeed(w)).id}/token`, body: {} }),
  },
  {
    route: 'GET /api/admin/feeds/:id/runs',
    expect: expectations.adminOnly(),
    request: async (w) => ({ url: `/api/admin/feeds/${(await freshFeed(w)).id}/runs` }),
  },
  {
    route: 'POST /api/admin/feeds/scan',
    expect: expectations.adminOnly(),
    request: () => ({ url: '/api/admin/feeds/scan', body: {} }),
  },
  {
    route: 'PUT /api/feeds/:id/files/:name',
    expect: expectations.open(401),
    request: async (w) => ({ url: `/api/feeds/${(await freshFeed(w)).id}/files/people.csv` }),
    note: "only the feed's own upload token opens it; a session is not enough",
  },
];
