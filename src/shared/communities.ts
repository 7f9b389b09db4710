/** Communities as the API shows them, shared by the server and the web app. */
import { z } from 'zod';
import { landingPolicies, membershipRoles, membershipStates, privacies } from './enums.js';
import { invitedMembersPageSchema } from './invitations.js';
import { landingSettingsInput } from './landing.js';

export const communityLimits = { nameChars: 100, headlineChars: 200, descriptionChars: 5000 } as const;

const communityFields = {
  name: z.string().trim().min(1, 'is required').max(communityLimits.nameChars),
  headline: z.string().trim().max(communityLimits.headlineChars),
  description: z.string().trim().max(communityLimits.descriptionChars),
  privacy: z.enum(privacies),
};

export const createCommunityInput = z.object({
  name: communityFields.name,
  headline: communityFields.headline.optional(),
  description: communityFields.description.optional(),
  privacy: communityFields.privacy,
});
export type CreateCommunityInput = z.output<typeof createCommunityInput>;

/** PATCH: the community's own fields plus the landing page's (slug, policy, …; see landing.ts). */
export const updateCommunityInput = z
  .object({
    name: communityFields.name.optional(),
    headline: communityFields.headline.optional(),
    description: communityFields.description.optional(),
    privacy: communityFields.privacy.optional(),
  })
  .extend(landingSettingsInput.shape);
export type UpdateCommunityInput = z.output<typeof updateCommunityInput>;

export const communitySummarySchema = z.object({
  /** the Community ID */
  id: z.number().int(),
  name: z.string(),
  slug: z.string(),
  headline: z.string(),
  privacy: z.enum(privacies),
  memberCount: z.number().int(),
  /** the caller's membership, if any */
  myState: z.enum(membershipStates).nullable(),
  myRole: z.enum(membershipRoles).nullable(),
});
export type CommunitySummary = z.output<typeof communitySummarySchema>;

export const communityDetailSchema = communitySummarySchema.extend({
  description: z.string(),
  leaderCount: z.number().int(),
  /** what the caller may do here */
  can: z.object({
    seeMembers: z.boolean(),
    manage: z.boolean(),
    invite: z.boolean(),
    join: z.enum(['join', 'request']).nullable(),
    leave: z.boolean(),
  }),
  /** the caller's invitation here ran out unanswered: the page says so (and, when it may, offers Join) */
  myInvitationExpired: z.boolean(),
});
export type CommunityDetail = z.output<typeof communityDetailSchema>;

/** A row of the admin Communities table. */
export const adminCommunityItemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  slug: z.string(),
  headline: z.string(),
  description: z.string(),
  privacy: z.enum(privacies),
  memberCount: z.number().int(),
  invitedCount: z.number().int(),
  landingEnabled: z.boolean(),
  landingUrl: z.string(),
  createdAt: z.number(),
});
export type AdminCommunityItem = z.output<typeof adminCommunityItemSchema>;

/** A community as creating or editing it answers. */
export const communitySettingsSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  slug: z.string(),
  headline: z.string(),
  description: z.string(),
  privacy: z.enum(privacies),
  landingEnabled: z.boolean(),
  landingPolicy: z.enum(landingPolicies),
  landingUrl: z.string(),
  createdAt: z.number(),
});
export type CommunitySettings = z.output<typeof communitySettingsSchema>;

export const communityListQuery = z.object({
  q: z.string().max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const communityPageSchema = z.object({
  items: z.array(communitySummarySchema),
  nextCursor: z.string().nullable(),
});
export const adminCommunityPageSchema = z.object({
  items: z.array(adminCommunityItemSchema),
  nextCursor: z.string().nullable(),
});

/** Join: joined at once, or asked to join (private); `changed` is false when it already was so. */
export const joinAnswerSchema = z.object({ state: z.enum(['joined', 'requested']), changed: z.boolean() });
export const leaveAnswerSchema = z.object({ state: z.literal('left') });
/** Approve or decline a join request: the membership's state afterwards. */
export const requestAnswerSchema = z.object({ state: z.enum(membershipStates) });
export const leaderAnswerSchema = z.object({ role: z.enum(membershipRoles) });

export const memberListStates = ['joined', 'leaders', 'requested', 'invited'] as const;
export type MemberListState = (typeof memberListStates)[number];

export const memberListQuery = communityListQuery.extend({ state: z.enum(memberListStates).default('joined') });

export const communityMemberItemSchema = z.object({
  personId: z.number().int(),
  firstName: z.string(),
  lastName: z.string(),
  /** shown to the community's leaders and site admins only */
  email: z.string().nullable(),
  role: z.enum(membershipRoles),
  state: z.enum(membershipStates),
  joinedAt: z.number().nullable(),
  requestedAt: z.number(),
});
export type CommunityMemberItem = z.output<typeof communityMemberItemSchema>;

export const communityMemberPageSchema = z.object({
  items: z.array(communityMemberItemSchema),
  nextCursor: z.string().nullable(),
});
export type CommunityMemberPage = z.output<typeof communityMemberPageSchema>;

/**
 * GET /api/communities/:id/members: a member page, or with state=invited the Invited directory
 * (listed first: its pages carry `total`, which a member page lacks).
 */
export const memberListAnswerSchema = z.union([invitedMembersPageSchema, communityMemberPageSchema]);
