/** Matrix rows for Data Tools: every route is for site admins only (missing jobs answer 404 to admins). */
import { type AuthzRow, expectations } from '../../testing/authz.js';

const missing = '/api/admin/data-jobs/999999';

export const authzRows: AuthzRow[] = [
  { route: 'GET /api/admin/data-jobs', expect: expectations.adminOnly() },
  {
    route: 'POST /api/admin/data-jobs',
    expect: expectations.adminOnly(415),
    request: () => ({ url: '/api/admin/data-jobs', body: {} }),
    note: 'an admin sending JSON instead of multipart is told to send the file as multipart/form-data',
  },
  {
    route: 'GET /api/admin/data-jobs/samples/:file',
    expect: expectations.adminOnly(),
    request: () => ({ url: '/api/admin/data-jobs/samples/invite_to_community.csv' }),
  },
  { route: 'GET /api/admin/data-jobs/:id', expect: expectations.adminOnly(404), request: () => ({ url: missing }) },
  {
    route: 'PUT /api/admin/data-jobs/:id/mapping',
    expect: expectations.adminOnly(404),
    request: () => ({
      url: `${missing}/mapping`,
      body: { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' },
    }),
  },
  {
    route: 'PATCH /api/admin/data-jobs/:id',
    expect: expectations.adminOnly(404),
    request: () => ({ url: missing, body: { name: 'Spring invites' } }),
  },
  {
    route: 'POST /api/admin/data-jobs/:id/start',
    expect: expectations.adminOnly(404),
    request: () => ({ url: `${missing}/start` }),
  },
  {
    route: 'POST /api/admin/data-jobs/:id/resume',
    expect: expectations.adminOnly(404),
    request: () => ({ url: `${missing}/resume` }),
  },
  {
    route: 'POST /api/admin/data-jobs/:id/cancel',
    expect: expectations.adminOnly(404),
    request: () => ({ url: `${missing}/cancel` }),
  },
  {
    route: 'POST /api/admin/data-jobs/:id/undo',
    expect: expectations.adminOnly(404),
    request: () => ({ url: `${missing}/undo` }),
  },
  {
    route: 'POST /api/admin/data-jobs/:id/email-invitees',
    expect: expectations.adminOnly(404),
    request: () => ({ url: `${missing}/email-invitees`, body: { ratePerMinute: 60 } }),
  },
  {
    route: 'GET /api/admin/data-jobs/:id/email-invitees',
    expect: expectations.adminOnly(404),
    request: () => ({ url: `${missing}/email-invitees` }),
  },
  {
    route: 'GET /api/admin/data-jobs/:id/results',
    expect: expectations.adminOnly(404),
    request: () => ({ url: `${missing}/results` }),
  },
  {
    route: 'GET /api/admin/data-jobs/:id/results.csv',
    expect: expectations.adminOnly(404),
    request: () => ({ url: `${missing}/results.csv` }),
  },
];
