/** The invitations API's shapes, shared by the server (validation, answers) and the web app. */
import { z } from 'zod';
import type { InvitationEmailStatus, MembershipSource } from './enums.js';
import { limits } from './limits.js';
import { maxSettingDays } from './site-settings.js';

export const inviteRequestSchema = z.object({
  // at most 2^31 − 1: a Profile ID is an `integer` column (PostgreSQL refuses larger numbers in a comparison)
  personIds: z
    .array(z.number().int().positive().max(2_147_483_647))
    .max(10 * limits.invitationRecipients)
    .optional(),
  /** the pasted text, as one string */
  emails: z.string().max(200_000).optional(),
  message: z.string().optional(),
  sendEmail: z.boolean(),
  /** how many days these invitations stay open (null: never); the site's setting when absent */
  expiresInDays: z.number().int().min(1).max(maxSettingDays).nullable().optional(),
});
export type InviteRequest = z.infer<typeof inviteRequestSchema>;

/** invited: a membership in state invited now exists because of this request. */
export type InviteOutcome = 'invited' | 'already_invited' | 'skipped';

export type InviteReason =
  | 'emailed'
  | 'email_not_requested'
  | 'pre_verified'
  | 'email_suppressed'
  | 'no_email_address'
  | 'already_invited'
  | 'already_member'
  | 'awaiting_site_approval'
  | 'inactive'
  | 'invalid_email'
  | 'unknown_person';

export interface InviteResult {
  /** the address (lower-cased), or what was typed when it is not one; null for an unknown person ID */
  readonly email: string | null;
  readonly personId: number | null;
  readonly name: string | null;
  readonly outcome: InviteOutcome;
  readonly reason: InviteReason;
  /** the outcome in plain words, for the dialog */
  readonly message: string;
  /** whether this request created the person (an address the site did not know) */
  readonly created: boolean;
}

export interface InviteSummary {
  readonly recipients: number;
  readonly invited: number;
  readonly emailed: number;
  readonly alreadyInvited: number;
  readonly skipped: number;
}

export interface InviteResponse {
  readonly summary: InviteSummary;
  readonly results: readonly InviteResult[];
}

export const inviteMessages: Record<InviteReason, string> = {
  emailed: 'invited, email queued',
  email_not_requested: 'invited, no email (sending was switched off)',
  pre_verified: 'invited, no email: pre-verified — share their invite URL or use Data Tools',
  email_suppressed: 'invited, no email: email suppressed (unsubscribed or bouncing)',
  no_email_address: 'invited, no email: no email address on file',
  already_invited: 'already invited — no new email (use Resend)',
  already_member: 'skipped: already a member',
  awaiting_site_approval: 'skipped: awaiting site approval',
  inactive: 'skipped: inactive',
  invalid_email: 'skipped: invalid email',
  unknown_person: 'skipped: no such person',
};

/** One row of the community's Invited directory. */
export interface InvitedMember {
  readonly personId: number;
  readonly email: string | null;
  readonly firstName: string;
  readonly lastName: string;
  readonly status: string;
  readonly invitedAt: number | null;
  readonly invitedBy: { readonly id: number; readonly name: string } | null;
  readonly source: MembershipSource;
  readonly emailStatus: InvitationEmailStatus | null;
  readonly emailedAt: number | null;
  /** when Resend is next allowed (epoch ms), null when it never is */
  readonly resendAllowedAt: number | null;
  /** open (on the invitee's home, or hidden by "Not now"), or ended by the invitee's decline or by expiry */
  readonly invitation: InvitationStanding;
  /** when an open invitation expires, or when an expired one did (epoch ms); null: never */
  readonly expiresAt: number | null;
}

export type InvitationStanding = 'open' | 'declined' | 'expired';

export interface InvitedMembersPage {
  readonly items: readonly InvitedMember[];
  readonly nextCursor: string | null;
  readonly total: number;
}

export interface CommunityCard {
  readonly id: number;
  readonly name: string;
  readonly headline: string;
  readonly slug: string;
  readonly privacy: string;
}

export interface RecommendedCommunities {
  readonly invitations: readonly {
    readonly community: CommunityCard;
    readonly invitedBy: { readonly name: string } | null;
    readonly invitedAt: number | null;
    /** when the invitation expires (epoch ms); null: never */
    readonly expiresAt: number | null;
    readonly message: string | null;
  }[];
  readonly communities: readonly (CommunityCard & { readonly role: string })[];
  readonly suggestions: readonly CommunityCard[];
}

/** One typeahead suggestion. */
export interface PersonSuggestion {
  readonly id: number;
  readonly email: string | null;
  readonly firstName: string;
  readonly lastName: string;
  readonly status: string;
  /** this person's membership state in the community asked about, if any */
  readonly membershipState: string | null;
}
