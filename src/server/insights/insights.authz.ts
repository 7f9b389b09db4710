/**
 * Matrix rows for the invitation funnel: a community's Insights for its leaders and site admins
 * (`here` is private: visible to its member, so 403 for them); the dashboard and a job's funnel
 * for site admins (a missing job is 404 to them); the join link's "opened" for anyone (the
 * token decides, and a forged one is refused alike).
 */
import { type AuthzRow, expectations } from '../testing/authz.js';

const missingJob = '/api/admin/data-jobs/999999';

export const authzRows: AuthzRow[] = [
  {
    route: 'GET /api/communities/:id/insights',
    expect: expectations.managersOfHere(),
    request: (w) => ({ url: `/api/communities/${w.here.id}/insights` }),
  },
  {
    route: 'GET /api/communities/:id/insights.csv',
    expect: expectations.managersOfHere(),
    request: (w) => ({ url: `/api/communities/${w.here.id}/insights.csv` }),
  },
  {
    route: 'GET /api/admin/data-jobs/:id/funnel',
    expect: expectations.adminOnly(404),
    request: () => ({ url: `${missingJob}/funnel` }),
  },
  {
    route: 'GET /api/admin/data-jobs/:id/funnel.csv',
    expect: expectations.adminOnly(404),
    request: () => ({ url: `${missingJob}/funnel.csv` }),
  },
  { route: 'GET /api/admin/insights', expect: expectations.adminOnly() },
  { route: 'GET /api/admin/insights.csv', expect: expectations.adminOnly() },
  {
    route: 'POST /api/invitation-links/opened',
    expect: expectations.open(400),
    note: 'a token this site did not make: refused alike for everyone',
    request: () => ({ url: '/api/invitation-links/opened', body: { token: '1.2.000000000000000000000000' } }),
  },
];
