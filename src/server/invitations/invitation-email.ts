/**
 * The invitation email ('community_invitation'): who invites, to which community, their message
 * as plain text, a Join button, and one-click unsubscribe. Marketing mail: it honours the
 * suppression list. Everything user-supplied is escaped in HTML and kept out of headers.
 */
import crypto from 'node:crypto';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow, PersonRow } from '../db/schema.js';
import { deleteQueuedEmails, enqueueEmails, type OutgoingEmail } from '../email/outbox.repository.js';
import { queueEmail } from '../email/outbox.service.js';
import { type EmailTemplate, escapeHtml, headerSafe, textToHtml } from '../email/template.js';
import { unsubscribeHeaders, unsubscribeUrl } from '../email/unsubscribe.js';
import { invitationLinkToken, withInvitationLink } from './invitation-link.js';

export interface CommunityInvitationPayload {
  /** the recipient, for the unsubscribe link */
  readonly to: string;
  readonly inviterName: string;
  readonly communityName: string;
  readonly communityHeadline: string;
  readonly message: string | null;
  /** a path under PUBLIC_URL: the link is built at render time from the config, never a Host header */
  readonly joinPath: string;
  /** whether the recipient has no account yet (the email then also invites to the site) */
  readonly newToSite: boolean;
  /** the invitation, named in the join link at render time (its opening is the funnel's "opened") */
  readonly invitation?: { readonly communityId: number; readonly personId: number };
}

/**
 * Where Join leads: members to the community; people without an account to the community's
 * landing page with their email filled in, or, when the landing page is off, to sign-in (which
 * activates an invited person; the invitation then waits on their home). See docs/decisions.md.
 */
export function joinPathFor(
  community: Pick<CommunityRow, 'id' | 'slug' | 'landing_enabled'>,
  invitee: Pick<PersonRow, 'status' | 'email'>,
): string {
  if (invitee.status === 'active') return `/communities/${community.id}`;
  const email = encodeURIComponent(invitee.email ?? '');
  // The address rides in the fragment: browsers never send it, so no server or proxy log records it.
  return community.landing_enabled === 1
    ? `/join/${encodeURIComponent(community.slug)}#email=${email}`
    : `/sign-in#email=${email}`;
}

function inviterNameOf(p: Pick<PersonRow, 'first_name' | 'last_name' | 'email'>): string {
  return `${p.first_name} ${p.last_name}`.trim() || p.email || 'A leader';
}

export interface InvitationEmailInput {
  readonly community: CommunityRow;
  readonly inviter: Pick<PersonRow, 'id' | 'first_name' | 'last_name' | 'email'>;
  readonly invitee: Pick<PersonRow, 'id' | 'status' | 'email'>;
  readonly message: string | null;
  readonly now: number;
  /** 'resend' for a Resend: a new outbox row, never the same dedupe key */
  readonly kind?: 'invite' | 'resend';
}

/** The outbox row of one invitation email (one recipient, marketing: it honours unsubscribes). */
export function invitationEmail(input: InvitationEmailInput): OutgoingEmail {
  const { community, invitee } = input;
  const to = invitee.email as string;
  const payload: CommunityInvitationPayload = {
    to,
    inviterName: inviterNameOf(input.inviter),
    communityName: community.name,
    communityHeadline: community.headline,
    message: input.message,
    joinPath: joinPathFor(community, invitee),
    newToSite: invitee.status !== 'active',
    invitation: { communityId: community.id, personId: invitee.id },
  };
  return {
    // Direct invites are made idempotent by the membership's state and the Idempotency-Key; the
    // random part keeps two invitations of one person in the same millisecond apart.
    dedupeKey: `community_invitation:${community.id}:${invitee.id}:${input.kind ?? 'invite'}:${input.now}:${crypto.randomBytes(6).toString('hex')}`,
    to,
    template: 'community_invitation',
    payload: { ...payload },
    category: 'marketing',
    senderId: input.inviter.id,
  };
}

/** Queues one invitation email in the caller's transaction; returns the outbox id. */
export function queueInvitationEmail(
  ctx: AppContext,
  trx: DbOrTrx,
  input: InvitationEmailInput,
): Promise<number | undefined> {
  return queueEmail(ctx, trx, invitationEmail(input));
}

/** Queues many invitation emails in a few statements (see enqueueEmails). Returns dedupe key → outbox id. */
export async function queueInvitationEmails(
  ctx: AppContext,
  trx: DbOrTrx,
  emails: readonly OutgoingEmail[],
  rowsPerStatement?: number,
): Promise<Map<string, number>> {
  return enqueueEmails(trx, emails, ctx.clock.now(), new URL(ctx.config.publicUrl).hostname, rowsPerStatement);
}

/** Removes queued invitation emails of invitations a parallel batch took first (same transaction). */
export async function unqueueInvitationEmails(trx: DbOrTrx, ids: readonly number[]): Promise<void> {
  await deleteQueuedEmails(trx, ids);
}

const button =
  'display: inline-block; padding: 10px 18px; background: #228be6; color: #fff; border-radius: 6px; text-decoration: none; font-weight: 600';

function render(p: CommunityInvitationPayload, config: Config) {
  const site = config.siteName;
  const inviter = String(p.inviterName);
  const community = String(p.communityName);
  const headline = String(p.communityHeadline ?? '');
  const message = p.message ? String(p.message) : null;
  const joinUrl = `${config.publicUrl}${
    p.invitation
      ? withInvitationLink(
          String(p.joinPath),
          invitationLinkToken(config.secret, Number(p.invitation.communityId), Number(p.invitation.personId)),
        )
      : String(p.joinPath)
  }`;
  const unsubscribe = unsubscribeUrl(config, String(p.to));
  const intro = p.newToSite
    ? `${inviter} invited you to join ${community} on ${site}.`
    : `${inviter} invited you to join ${community}.`;
  const text = [
    intro,
    headline ? `${community}: ${headline}` : '',
    message ? `Message from ${inviter}:\n\n${message}` : '',
    `Join ${community}: ${joinUrl}`,
    p.newToSite ? `You will be asked to confirm your email address with a code; no password is needed.` : '',
    `—\n${site}\nYou received this because a leader of ${community} invited you. Unsubscribe from invitations: ${unsubscribe}`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const html = `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; color: #1a1b1e; line-height: 1.5; max-width: 560px">
<p>${escapeHtml(intro)}</p>
<h2 style="margin: 16px 0 4px">${escapeHtml(community)}</h2>
${headline ? `<p style="margin: 0 0 16px; color: #555">${escapeHtml(headline)}</p>` : ''}
${
  message
    ? `<p style="margin: 0 0 4px">Message from ${escapeHtml(inviter)}:</p>
<blockquote style="margin: 0 0 16px; padding: 8px 12px; border-left: 3px solid #ced4da; white-space: normal">${textToHtml(message)}</blockquote>`
    : ''
}
<p><a href="${escapeHtml(joinUrl)}" style="${button}">Join ${escapeHtml(community)}</a></p>
${p.newToSite ? '<p style="color: #555">You will be asked to confirm your email address with a code; no password is needed.</p>' : ''}
<hr style="border: none; border-top: 1px solid #dee2e6; margin: 24px 0 8px">
<p style="color: #868e96; font-size: 13px">${escapeHtml(site)} · You received this because a leader of ${escapeHtml(community)} invited you.
<a href="${escapeHtml(unsubscribe)}" style="color: #868e96">Unsubscribe from invitations</a></p>
</body></html>`;
  return {
    subject: headerSafe(`${inviter} invited you to join ${community} on ${site}`),
    html,
    text,
    headers: unsubscribeHeaders(config, String(p.to)),
  };
}

export const communityInvitationTemplate: EmailTemplate<CommunityInvitationPayload> = {
  name: 'community_invitation',
  render,
};
