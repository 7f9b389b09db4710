/** Matrix rows for a member's own profile: anyone signed in changes their own name. */
import { type AuthzRow, expectations } from '../testing/authz.js';

export const authzRows: AuthzRow[] = [
  {
    route: 'PATCH /api/me',
    expect: expectations.signedIn(),
    request: () => ({ url: '/api/me', body: { firstName: 'Robin' } }),
  },
];
