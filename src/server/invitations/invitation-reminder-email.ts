/**
 * The reminder email ('invitation_reminder'): one per person, listing every open invitation
 * whose reminder is due, each with its Join link and expiry, and one-click unsubscribe. The
 * reminder sweep writes its outbox rows in SQL (memberships' remindDuePeople), one per person
 * and sweep time (dedupe key `invitation_reminder:<person>:<time>`). Marketing
 * mail like the invitation itself: it honours the suppression list. Everything user-supplied is
 * escaped in HTML and kept out of headers.
 */
import type { Config } from '../config.js';
import { type EmailTemplate, escapeHtml, headerSafe } from '../email/template.js';
import { unsubscribeHeaders, unsubscribeUrl } from '../email/unsubscribe.js';
import { invitationLinkToken, withInvitationLink } from './invitation-link.js';

export interface ReminderInvitation {
  readonly communityName: string;
  readonly communityHeadline: string;
  /** a path under PUBLIC_URL (see joinPathFor) */
  readonly joinPath: string;
  /** when the invitation expires; null: never */
  readonly expiresAt: number | null;
  /** the invitation, named in the join link at render time (its opening is the funnel's "opened") */
  readonly invitation?: { readonly communityId: number; readonly personId: number };
  /**
   * Whether the link's fragment carries the recipient's address (`#email=…`), added at render
   * time: the sweep writes the payload in SQL, which does not URL-encode.
   */
  readonly joinEmailFragment?: boolean;
}

export interface InvitationReminderPayload {
  readonly to: string;
  readonly invitations: readonly ReminderInvitation[];
  /** whether the recipient has no account yet */
  readonly newToSite: boolean;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

const expiryWords = (expiresAt: number | null) =>
  expiresAt === null ? '' : `The invitation expires on ${dateFormat.format(new Date(Number(expiresAt)))}.`;

const button =
  'display: inline-block; padding: 8px 16px; background: #228be6; color: #fff; border-radius: 6px; text-decoration: none; font-weight: 600';

function render(p: InvitationReminderPayload, config: Config) {
  const site = config.siteName;
  const unsubscribe = unsubscribeUrl(config, String(p.to));
  const invitations = p.invitations.map((i) => ({
    name: String(i.communityName),
    headline: String(i.communityHeadline ?? ''),
    url: `${config.publicUrl}${
      i.invitation
        ? withInvitationLink(
            String(i.joinPath),
            invitationLinkToken(config.secret, Number(i.invitation.communityId), Number(i.invitation.personId)),
          )
        : String(i.joinPath)
    }${i.joinEmailFragment ? `#email=${encodeURIComponent(String(p.to))}` : ''}`,
    expiry: expiryWords(i.expiresAt),
  }));
  const first = invitations[0]?.name ?? site;
  const subject =
    invitations.length === 1
      ? `Reminder: you are invited to join ${first} on ${site}`
      : `Reminder: ${invitations.length} communities on ${site} are waiting for you`;
  const intro =
    invitations.length === 1
      ? `You have an open invitation to join ${first}.`
      : `You have open invitations to join ${invitations.length} communities.`;
  const text = [
    intro,
    ...invitations.map((i) =>
      [`${i.name}${i.headline ? `: ${i.headline}` : ''}`, `Join ${i.name}: ${i.url}`, i.expiry]
        .filter(Boolean)
        .join('\n'),
    ),
    p.newToSite ? `You will be asked to confirm your email address with a code; no password is needed.` : '',
    `—\n${site}\nYou received this because a leader invited you. Unsubscribe from invitations: ${unsubscribe}`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const items = invitations
    .map(
      (i) => `<h3 style="margin: 16px 0 4px">${escapeHtml(i.name)}</h3>
${i.headline ? `<p style="margin: 0 0 8px; color: #555">${escapeHtml(i.headline)}</p>` : ''}
<p style="margin: 0 0 4px"><a href="${escapeHtml(i.url)}" style="${button}">Join ${escapeHtml(i.name)}</a></p>
${i.expiry ? `<p style="margin: 0; color: #555; font-size: 14px">${escapeHtml(i.expiry)}</p>` : ''}`,
    )
    .join('\n');
  const html = `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; color: #1a1b1e; line-height: 1.5; max-width: 560px">
<p>${escapeHtml(intro)}</p>
${items}
${p.newToSite ? '<p style="color: #555">You will be asked to confirm your email address with a code; no password is needed.</p>' : ''}
<hr style="border: none; border-top: 1px solid #dee2e6; margin: 24px 0 8px">
<p style="color: #868e96; font-size: 13px">${escapeHtml(site)} · You received this because a leader invited you.
<a href="${escapeHtml(unsubscribe)}" style="color: #868e96">Unsubscribe from invitations</a></p>
</body></html>`;
  return { subject: headerSafe(subject), html, text, headers: unsubscribeHeaders(config, String(p.to)) };
}

export const invitationReminderTemplate: EmailTemplate<InvitationReminderPayload> = {
  name: 'invitation_reminder',
  render,
};
