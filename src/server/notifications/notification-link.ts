/**
 * A notification kind's one-click unsubscribe link: an opaque token sealed from the kind and the
 * person (see email/unsubscribe.ts), so unsubscribing from one kind leaves the other kinds and
 * invitations alone. GET of the link is the web page; a mail client's POST unsubscribes (RFC 8058).
 */
import { type NotificationKind, notificationKinds } from '../../shared/notifications.js';
import type { Config } from '../config.js';
import { openLinkToken, sealLinkToken } from '../email/unsubscribe.js';

const purpose = 'notification_unsubscribe';

export function notificationUnsubscribeToken(config: Config, kind: NotificationKind, personId: number): string {
  return sealLinkToken(config, purpose, `${kind}:${personId}`);
}

/** The kind and person a token was made for, or undefined when the token is not genuine. */
export function openNotificationUnsubscribeToken(
  config: Config,
  token: string,
): { readonly kind: NotificationKind; readonly personId: number } | undefined {
  const text = openLinkToken(config, purpose, token);
  const match = text === undefined ? null : /^([a-z_]+):(\d+)$/.exec(text);
  if (!match) return undefined;
  const kind = notificationKinds.find((k) => k === match[1]);
  return kind ? { kind, personId: Number(match[2]) } : undefined;
}

export function notificationUnsubscribeUrl(config: Config, kind: NotificationKind, personId: number): string {
  return `${config.publicUrl}/notifications/unsubscribe/${notificationUnsubscribeToken(config, kind, personId)}`;
}

/** RFC 2369 + RFC 8058 headers for a notification email of this kind. */
export function notificationUnsubscribeHeaders(
  config: Config,
  kind: NotificationKind,
  personId: number,
): Readonly<Record<string, string>> {
  return {
    'List-Unsubscribe': `<${notificationUnsubscribeUrl(config, kind, personId)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
