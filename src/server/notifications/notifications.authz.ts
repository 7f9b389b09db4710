/** Matrix rows for notifications: anyone signed in sets their own; unsubscribe links carry their own sealed token. */
import { type AuthzRow, expectations } from '../testing/authz.js';
import { notificationUnsubscribeToken } from './notification-link.js';

const token = (w: Parameters<NonNullable<AuthzRow['request']>>[0]) =>
  notificationUnsubscribeToken(w.ctx.config, 'join_requests', w.people.leaderHere.id);

export const authzRows: AuthzRow[] = [
  { route: 'GET /api/me/notifications', expect: expectations.signedIn() },
  {
    route: 'PATCH /api/me/notifications',
    expect: expectations.signedIn(),
    request: () => ({ url: '/api/me/notifications', body: { requestApproved: 'immediate' } }),
  },
  {
    route: 'GET /api/notifications/unsubscribe/:token',
    expect: expectations.open(),
    request: (w) => ({ url: `/api/notifications/unsubscribe/${token(w)}` }),
    note: 'the sealed token is the authorization',
  },
  {
    route: 'POST /api/notifications/unsubscribe/:token',
    expect: expectations.open(),
    request: (w) => ({ url: `/api/notifications/unsubscribe/${token(w)}`, body: {} }),
    note: 'the sealed token is the authorization',
  },
  {
    route: 'POST /notifications/unsubscribe/:token',
    expect: expectations.open(),
    request: (w) => ({ url: `/notifications/unsubscribe/${token(w)}`, body: {} }),
    note: 'one-click from mail clients (RFC 8058); the sealed token is the authorization',
  },
];
