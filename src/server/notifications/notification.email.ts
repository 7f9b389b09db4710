/**
 * The notification emails: a join request (at once) and the leaders' daily digest of them, a
 * request approved, an account approved, and the admins' daily digest of people waiting for
 * approval. Every one names its kind's one-click unsubscribe (List-Unsubscribe) and a link to the
 * profile page's settings. Everything user-supplied (names, community names, addresses) is
 * escaped in HTML and kept out of headers; links are built at render time from PUBLIC_URL.
 */
import type { NotificationKind } from '../../shared/notifications.js';
import type { Config } from '../config.js';
import { type EmailTemplate, escapeHtml, headerSafe, type RenderedEmail } from '../email/template.js';
import { notificationUnsubscribeHeaders, notificationUnsubscribeUrl } from './notification-link.js';

/** A line of an email: its text, and its HTML (escaped) with an optional link. */
interface Line {
  readonly text: string;
  readonly href?: string;
}

/** How many requests or people a digest lists by name (the rest are counted). */
export const digestListLimit = 50;

export interface JoinRequestPayload {
  /** the leader the email goes to */
  readonly personId: number;
  readonly communityId: number;
  readonly communityName: string;
  readonly requesterName: string;
}

export interface JoinRequestDigestPayload {
  readonly personId: number;
  readonly requests: readonly {
    readonly communityId: number;
    readonly communityName: string;
    readonly requesterName: string;
  }[];
  /** every request of the digest, listed or not */
  readonly total: number;
}

export interface RequestApprovedPayload {
  readonly personId: number;
  readonly communityId: number;
  readonly communityName: string;
}

export interface AccountApprovedPayload {
  readonly personId: number;
}

export interface ApprovalQueuePayload {
  readonly personId: number;
  readonly people: readonly string[];
  readonly total: number;
}

const why: Record<NotificationKind, string> = {
  join_requests: 'You get this email because you lead a community on',
  request_approved: 'You get this email because you asked to join a community on',
  account_approved: 'You get this email because you signed up on',
  approval_queue: 'You get this email because you are a site admin of',
};

function requestsUrl(config: Config, communityId: number): string {
  return `${config.publicUrl}/communities/${communityId}?tab=members&list=requested`;
}

/** Paragraphs (each a list of lines) → text and HTML, with the kind's footer and headers. */
function compose(
  config: Config,
  kind: NotificationKind,
  personId: number,
  subject: string,
  paragraphs: readonly (readonly Line[])[],
): RenderedEmail {
  const unsubscribe = notificationUnsubscribeUrl(config, kind, personId);
  const footer: Line[] = [
    { text: `${why[kind]} ${config.siteName}.` },
    { text: 'Change your notification settings', href: `${config.publicUrl}/profile` },
    { text: 'Unsubscribe from these emails', href: unsubscribe },
  ];
  const all = [...paragraphs, footer];
  const text = all.map((p) => p.map((l) => (l.href ? `${l.text}: ${l.href}` : l.text)).join('\n')).join('\n\n');
  const html = all
    .map(
      (p) =>
        `<p>${p
          .map((l) => (l.href ? `<a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a>` : escapeHtml(l.text)))
          .join('<br>\n')}</p>`,
    )
    .join('\n');
  return {
    subject: headerSafe(subject),
    text,
    html,
    headers: notificationUnsubscribeHeaders(config, kind, personId),
  };
}

export const joinRequestTemplate: EmailTemplate<JoinRequestPayload> = {
  name: 'notification_join_request',
  render: (p, config) =>
    compose(config, 'join_requests', p.personId, `${p.requesterName} asked to join ${p.communityName}`, [
      [{ text: `${p.requesterName} asked to join ${p.communityName}.` }],
      [{ text: 'Approve or decline the request', href: requestsUrl(config, p.communityId) }],
    ]),
};

export const joinRequestDigestTemplate: EmailTemplate<JoinRequestDigestPayload> = {
  name: 'notification_join_request_digest',
  render: (p, config) => {
    const more = p.total - p.requests.length;
    const communities = [...new Map(p.requests.map((r) => [r.communityId, r.communityName])).entries()];
    return compose(
      config,
      'join_requests',
      p.personId,
      p.total === 1 ? `1 new request to join your communities` : `${p.total} new requests to join your communities`,
      [
        [{ text: 'Since yesterday, people asked to join communities you lead:' }],
        p.requests.map((r) => ({ text: `${r.requesterName} asked to join ${r.communityName}` })),
        ...(more > 0 ? [[{ text: `and ${more} more.` }]] : []),
        communities.map(([id, name]) => ({ text: `Approve requests to ${name}`, href: requestsUrl(config, id) })),
      ],
    );
  },
};

export const requestApprovedTemplate: EmailTemplate<RequestApprovedPayload> = {
  name: 'notification_request_approved',
  render: (p, config) =>
    compose(config, 'request_approved', p.personId, `You are now a member of ${p.communityName}`, [
      [{ text: `A leader of ${p.communityName} approved your request to join.` }],
      [{ text: `Open ${p.communityName}`, href: `${config.publicUrl}/communities/${p.communityId}` }],
    ]),
};

export const accountApprovedTemplate: EmailTemplate<AccountApprovedPayload> = {
  name: 'notification_account_approved',
  render: (p, config) =>
    compose(config, 'account_approved', p.personId, `Your ${config.siteName} account is approved`, [
      [{ text: `A site admin approved your account on ${config.siteName}. You can sign in now.` }],
      [{ text: `Sign in to ${config.siteName}`, href: `${config.publicUrl}/sign-in` }],
    ]),
};

export const approvalQueueTemplate: EmailTemplate<ApprovalQueuePayload> = {
  name: 'notification_approval_queue',
  render: (p, config) => {
    const more = p.total - p.people.length;
    return compose(
      config,
      'approval_queue',
      p.personId,
      p.total === 1 ? '1 person is waiting for approval' : `${p.total} people are waiting for approval`,
      [
        [{ text: `These people are waiting for a site admin to approve their account on ${config.siteName}:` }],
        p.people.map((name) => ({ text: name })),
        ...(more > 0 ? [[{ text: `and ${more} more.` }]] : []),
        [{ text: 'Approve or reject them', href: `${config.publicUrl}/admin/members?tab=pending` }],
      ],
    );
  },
};

export const notificationTemplates = {
  [joinRequestTemplate.name]: joinRequestTemplate,
  [joinRequestDigestTemplate.name]: joinRequestDigestTemplate,
  [requestApprovedTemplate.name]: requestApprovedTemplate,
  [accountApprovedTemplate.name]: accountApprovedTemplate,
  [approvalQueueTemplate.name]: approvalQueueTemplate,
};
