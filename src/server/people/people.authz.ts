/** Authorization matrix rows for the admin Members API (src/server/authz.matrix.test.ts). */
import { type AuthzRow, type AuthzWorld, expectations } from '../testing/authz.js';
import { buildPerson } from '../testing/factories.js';
import { preverifyPerson } from './preverify.service.js';

const admin = expectations.adminOnly();
let n = 0;
const unique = () => `${Date.now().toString(36)}${n++}`;

/** A fresh person in `status` for each caller, so that every caller meets the same situation. */
const onFresh =
  (status: 'pending' | 'active' | 'inactive' | 'pre_verified', action: string, body?: unknown) =>
  async (w: AuthzWorld) => ({ url: `/api/admin/people/${(await buildPerson(w.ctx, { status })).id}/${action}`, body });

export const authzRows: AuthzRow[] = [
  { route: 'GET /api/admin/people', expect: admin },
  { route: 'GET /api/admin/people.csv', expect: admin },
  { route: 'GET /api/admin/people/:id', expect: admin },
  {
    route: 'POST /api/admin/people',
    expect: expectations.adminOnly(201),
    request: () => ({
      url: '/api/admin/people',
      body: { email: `authz-${unique()}@example.edu`, firstName: 'A', lastName: 'Z' },
    }),
  },
  { route: 'POST /api/admin/people/:id/approve', expect: admin, request: onFresh('pending', 'approve', {}) },
  {
    route: 'POST /api/admin/people/approve',
    expect: admin,
    request: async (w) => ({
      url: '/api/admin/people/approve',
      body: { ids: [(await buildPerson(w.ctx, { status: 'pending' })).id] },
    }),
  },
  { route: 'POST /api/admin/people/:id/reject', expect: admin, request: onFresh('pending', 'reject') },
  { route: 'POST /api/admin/people/:id/deactivate', expect: admin, request: onFresh('active', 'deactivate') },
  { route: 'POST /api/admin/people/:id/reactivate', expect: admin, request: onFresh('inactive', 'reactivate') },
  { route: 'POST /api/admin/people/:id/admin', expect: admin, request: onFresh('active', 'admin', { isAdmin: true }) },
  { route: 'POST /api/admin/people/:id/invite-url', expect: admin, request: onFresh('pre_verified', 'invite-url') },
  {
    route: 'GET /api/invite/:token',
    expect: expectations.open(),
    note: 'public: the welcome page grants nothing',
    request: async (w) => {
      const { inviteUrl } = await preverifyPerson(w.ctx, null, {
        email: `inv-${unique()}@example.edu`,
        firstName: 'I',
        lastName: 'V',
      });
      return { url: `/api/invite/${inviteUrl.split('/invite/')[1]}` };
    },
  },
  { route: 'GET /api/admin/member-types', expect: admin },
  {
    route: 'POST /api/admin/member-types',
    expect: expectations.adminOnly(201),
    request: () => ({ url: '/api/admin/member-types', body: { name: `Type ${unique()}` } }),
  },
  { route: 'GET /api/admin/audit', expect: admin },
];
