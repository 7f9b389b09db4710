/** Matrix rows for the admin's site settings: site admins only. */
import { type AuthzRow, expectations } from '../testing/authz.js';

export const authzRows: AuthzRow[] = [
  { route: 'GET /api/admin/settings', expect: expectations.adminOnly() },
  {
    route: 'PATCH /api/admin/settings',
    expect: expectations.adminOnly(),
    request: () => ({ url: '/api/admin/settings', body: { reminderDays: [3, 10] } }),
  },
];
