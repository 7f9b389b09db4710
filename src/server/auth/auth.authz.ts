/** Matrix rows for sign-in (anyone may ask for, and try, a code; only the signed-in have a `me`) and API tokens (admins). */
import { type AuthzRow, expectations } from '../testing/authz.js';
import { createApiToken } from './api-token.service.js';

let n = 0;
const freshEmail = () => `authz-${process.pid}-${++n}@example.test`;

export const authzRows: AuthzRow[] = [
  { route: 'GET /api/me', expect: expectations.signedIn() },
  { route: 'GET /api/session', expect: expectations.open(), note: 'me is null for a visitor who is not signed in' },
  {
    route: 'POST /api/auth/code',
    expect: expectations.open(),
    request: () => ({ url: '/api/auth/code', body: { email: freshEmail() } }),
    note: 'the same answer for everyone; the code then decides',
  },
  {
    route: 'POST /api/auth/verify',
    expect: expectations.open(400),
    request: () => ({ url: '/api/auth/verify', body: { email: freshEmail(), code: '000000' } }),
    note: 'no attempt cookie: sign_in_other_browser, whoever is asking',
  },
  {
    route: 'POST /api/auth/link',
    expect: expectations.open(400),
    request: () => ({ url: '/api/auth/link', body: { token: 'not-a-token' } }),
    note: 'an unknown token: link_invalid, whoever is asking',
  },
  {
    route: 'POST /api/auth/logout',
    expect: expectations.open(),
    note: 'signing out is always allowed, signed in or not',
  },
  { route: 'GET /api/admin/tokens', expect: expectations.adminOnly() },
  {
    route: 'POST /api/admin/tokens',
    expect: expectations.adminOnly(201),
    request: () => ({ url: '/api/admin/tokens', body: { name: 'authz', scopes: ['read'], expiresAt: null } }),
  },
  {
    route: 'DELETE /api/admin/tokens/:id',
    expect: expectations.adminOnly(),
    request: async (w) => {
      const created = await createApiToken(w.ctx, w.people.admin.id, {
        name: 'authz',
        scopes: ['read'],
        expiresAt: null,
      });
      return { url: `/api/admin/tokens/${created.id}` };
    },
    note: 'a fresh token for each caller',
  },
];
