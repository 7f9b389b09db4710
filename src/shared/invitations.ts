/** The invitations API's shapes, shared by the server (validation, answers) and the web app. */
import { z } from 'zod';
import { idParam, idSchema } from './api.js';
import { invitationEmailStatuses, membershipSources, membershipStates } from './enums.js';
import { limits } from './limits.js';
import { maxSettingDays } from './site-settings.js';

export const inviteRequestSchema = z.object({
  personIds: z
    .array(idSchema)
    .max(10 * limits.invitationRecipients)
    .optional(),
  /** the pasted text, as one string */
  emails: z.string().max(200_000).optional(),
  message: z.string().optional(),
  sendEmail: z.boolean(),
  /** how many days these invitations stay open (null: never); the site's setting when absent */
  expiresInDays: z.number().int().min(1).max(maxSettingDays).nullable().optional(),
  /** whether the emailed invitations of this batch get the site's reminder emails (default true) */
  reminders: z.boolean().optional(),
});
export type InviteRequest = z.infer<typeof inviteRequestSchema>;

/** invited: a membership in state invited now exists because of this request. */
export const inviteOutcomes = ['invited', 'already_invited', 'skipped'] as const;
export type InviteOutcome = (typeof inviteOutcomes)[number];

export const inviteReasons = [
  'emailed',
  'email_not_requested',
  'pre_verified',
  'email_suppressed',
  'no_email_address',
  'email_held',
  'already_invited',
  'already_member',
  'awaiting_site_approval',
  'inactive',
  'invalid_email',
  'unknown_person',
  'new_people_not_allowed',
] as const;
export type InviteReason = (typeof inviteReasons)[number];

export const inviteResultSchema = z.object({
  /** the address (lower-cased), or what was typed when it is not one; null for an unknown person ID */
  email: z.string().nullable(),
  personId: z.number().int().nullable(),
  name: z.string().nullable(),
  outcome: z.enum(inviteOutcomes),
  reason: z.enum(inviteReasons),
  /** the outcome in plain words, for the dialog */
  message: z.string(),
  /** whether this request created the person (an address the site did not know) */
  created: z.boolean(),
});
export type InviteResult = z.output<typeof inviteResultSchema>;

export const inviteSummarySchema = z.object({
  recipients: z.number().int(),
  invited: z.number().int(),
  emailed: z.number().int(),
  alreadyInvited: z.number().int(),
  skipped: z.number().int(),
  /** repeats of an address (pasted twice, or pasted and picked) merged into one recipient */
  duplicatesMerged: z.number().int(),
});
export type InviteSummary = z.output<typeof inviteSummarySchema>;

export const inviteResponseSchema = z.object({
  summary: inviteSummarySchema,
  results: z.array(inviteResultSchema).readonly(),
});
export type InviteResponse = z.output<typeof inviteResponseSchema>;

export const inviteMessages: Record<InviteReason, string> = {
  emailed: 'invited, email queued',
  email_not_requested: 'invited, no email (sending was switched off)',
  pre_verified: 'invited, no email: pre-verified — share their invite URL or use Data Tools',
  email_suppressed: 'invited, no email: email suppressed (unsubscribed or bouncing)',
  no_email_address: 'invited, no email: no email address on file',
  email_held: 'invited, email held: sent less than an hour ago',
  already_invited: 'already invited — no new email (use Resend)',
  already_member: 'skipped: already a member',
  awaiting_site_approval: 'skipped: awaiting site approval',
  inactive: 'skipped: inactive',
  invalid_email: 'skipped: invalid email',
  unknown_person: 'skipped: no such person',
  new_people_not_allowed: 'skipped: leaders may not invite people who have no account on this site',
};

/** The caller's daily invitation email quota (rolling 24 hours). */
export const inviteQuotaSchema = z.object({
  limit: z.number().int(),
  used: z.number().int(),
  remaining: z.number().int(),
});
export type InviteQuota = z.output<typeof inviteQuotaSchema>;

/** Where an invitation in the Invited directory stands. */
export const invitationStandings = ['open', 'declined', 'expired', 'revoked'] as const;
/** The sources the Invited directory filters by: invited directly, by a Data Tools job, or through a landing page. */
export const invitedSources = ['direct', 'data_job', 'landing'] as const;
export type InvitedSource = (typeof invitedSources)[number];

/** The Invited directory's filters (the list, its counts' facets and its CSV export share them). */
export const invitedFilterQuery = z.object({
  q: z.string().max(200).optional(),
  /** one standing; none: open, declined and expired (revoked ones only under `revoked`) */
  state: z.enum(invitationStandings).optional(),
  email: z.enum(invitationEmailStatuses).optional(),
  source: z.enum(invitedSources).optional(),
});

export const invitedQuery = invitedFilterQuery.extend({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export type InvitedQuery = z.input<typeof invitedQuery>;
export type InvitationStanding = (typeof invitationStandings)[number];

/** One row of the community's Invited directory. */
export const invitedMemberSchema = z.object({
  personId: z.number().int(),
  email: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  /** the person's site status: for site admins only (null for leaders, see docs/decisions.md) */
  status: z.string().nullable(),
  invitedAt: z.number().nullable(),
  invitedBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  source: z.enum(membershipSources),
  emailStatus: z.enum(invitationEmailStatuses).nullable(),
  emailedAt: z.number().nullable(),
  /** when Resend is next allowed (epoch ms), null when it never is */
  resendAllowedAt: z.number().nullable(),
  /** open (on the invitee's home, or hidden by "Not now"), or ended by the invitee's decline, by expiry or by a revoke */
  invitation: z.enum(invitationStandings),
  /** when an open invitation expires, or when an expired one did (epoch ms); null: never */
  expiresAt: z.number().nullable(),
  /** when a revoked invitation was revoked */
  revokedAt: z.number().nullable(),
});
export type InvitedMember = z.output<typeof invitedMemberSchema>;

const countsOf = <T extends readonly [string, ...string[]]>(keys: T) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])) as Record<T[number], z.ZodNumber>);

/**
 * Counts per filter value, each given the other filters (not the search): `state` given the email
 * and source filters, `email` and `source` given the others; `listed` is the default list's count.
 */
export const invitedCountsSchema = z.object({
  state: countsOf(invitationStandings).extend({ listed: z.number().int() }),
  email: countsOf(invitationEmailStatuses),
  source: countsOf(invitedSources),
});
export type InvitedCounts = z.output<typeof invitedCountsSchema>;

export const invitedMembersPageSchema = z.object({
  items: z.array(invitedMemberSchema),
  nextCursor: z.string().nullable(),
  /** how many open invitations the community has (whatever the filters; `counts` has each filter's) */
  total: z.number().int(),
  counts: invitedCountsSchema.optional(),
});
export type InvitedMembersPage = z.output<typeof invitedMembersPageSchema>;

export const resendAnswerSchema = z.object({
  emailStatus: z.enum(invitationEmailStatuses),
  resendAllowedAt: z.number(),
});

export const communityCardSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  headline: z.string(),
  slug: z.string(),
  privacy: z.string(),
});
export type CommunityCard = z.output<typeof communityCardSchema>;

export const recommendedCommunitiesSchema = z.object({
  invitations: z.array(
    z.object({
      community: communityCardSchema,
      invitedBy: z.object({ name: z.string() }).nullable(),
      invitedAt: z.number().nullable(),
      /** when the invitation expires (epoch ms); null: never */
      expiresAt: z.number().nullable(),
      message: z.string().nullable(),
    }),
  ),
  communities: z.array(communityCardSchema.extend({ role: z.string() })),
  suggestions: z.array(communityCardSchema),
});
export type RecommendedCommunities = z.output<typeof recommendedCommunitiesSchema>;

export const recommendedQuery = z.object({
  /** true: the invitations hidden by "Not now" (and no communities or suggestions) */
  hidden: z.enum(['true', 'false']).optional(),
});

export const peopleSearchQuery = z.object({
  q: z.string().max(200).default(''),
  communityId: idParam.optional(),
  limit: z.coerce.number().int().min(1).max(limits.typeaheadResults).optional(),
});

/** Why a suggestion cannot be invited, in the only words a leader sees. */
export const suggestionRefusals = ['already_member', 'already_invited', 'unavailable'] as const;
export type SuggestionRefusal = (typeof suggestionRefusals)[number];

/**
 * One typeahead suggestion. Admins get the full answer (email, status, isAdmin); a leader gets
 * only what picking the right person needs: name, member type, a partly hidden email
 * (`emailHint`), and whether they can be invited (`canInvite`, `cannotInviteReason`). Both shapes
 * carry the id, which is what a picked chip sends.
 */
export const personSuggestionSchema = z.object({
  id: z.number().int(),
  firstName: z.string(),
  lastName: z.string(),
  memberType: z.string().nullable(),
  /** first character of the local part and the full domain, e.g. `j•••@example.org` */
  emailHint: z.string().nullable(),
  canInvite: z.boolean(),
  cannotInviteReason: z.enum(suggestionRefusals).nullable(),
  /** admins only */
  email: z.string().nullable().optional(),
  /** admins only */
  status: z.string().optional(),
  /** admins only */
  isAdmin: z.boolean().optional(),
  /** this person's membership state in the community asked about, if any (the leader's own data) */
  membershipState: z.enum(membershipStates).nullable(),
});
export type PersonSuggestion = z.output<typeof personSuggestionSchema>;

export const personSuggestionsSchema = z.object({ items: z.array(personSuggestionSchema) });
