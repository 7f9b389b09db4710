/** Matrix rows for email: the Email log is for site admins; unsubscribe links carry their own signed token. */
import { type AuthzRow, expectations } from '../testing/authz.js';
import { unsubscribeToken } from './unsubscribe.js';

let n = 0;
const freshToken = (w: Parameters<NonNullable<AuthzRow['request']>>[0]) =>
  unsubscribeToken(w.ctx.config, `authz-unsub-${process.pid}-${++n}@example.test`);

export const authzRows: AuthzRow[] = [
  { route: 'GET /api/admin/emails', expect: expectations.adminOnly() },
  {
    route: 'GET /api/admin/emails/:id',
    expect: expectations.adminOnly(404),
    request: () => ({ url: '/api/admin/emails/999999' }),
    note: 'admins get past the check to a missing email',
  },
  {
    route: 'POST /api/admin/emails/test',
    expect: expectations.adminOnly(202),
    request: (_w, caller) => ({
      url: '/api/admin/emails/test',
      body: { to: `authz-test-${caller}-${++n}@example.test` },
    }),
  },
  {
    route: 'GET /api/unsubscribe/:token',
    expect: expectations.open(),
    request: (w) => ({ url: `/api/unsubscribe/${freshToken(w)}` }),
    note: 'the signed token is the authorization',
  },
  {
    route: 'POST /api/unsubscribe/:token',
    expect: expectations.open(),
    request: (w) => ({ url: `/api/unsubscribe/${freshToken(w)}`, body: {} }),
    note: 'the signed token is the authorization',
  },
  {
    route: 'POST /unsubscribe/:token',
    expect: expectations.open(),
    request: (w) => ({ url: `/unsubscribe/${freshToken(w)}`, body: {} }),
    note: 'one-click from mail clients (RFC 8058); the signed token is the authorization',
  },
];
