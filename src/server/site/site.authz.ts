/** Matrix rows for the site routes: the site's name is public (the sign-in page shows it); settings are admins'. */
import { type AuthzRow, expectations } from '../testing/authz.js';

export const authzRows: AuthzRow[] = [
  { route: 'GET /api/site', expect: expectations.open() },
  { route: 'GET /api/admin/settings', expect: expectations.adminOnly() },
  {
    route: 'PATCH /api/admin/settings',
    expect: expectations.adminOnly(),
    request: () => ({ url: '/api/admin/settings', body: { logRetentionDays: 90 } }),
  },
];
