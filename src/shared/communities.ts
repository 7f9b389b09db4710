/** Communities as the API shows them, shared by the server and the web app. */
import { z } from 'zod';
import { privacies, type MembershipRole, type MembershipState, type Privacy } from './enums.js';
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

export interface CommunitySummary {
  /** the Community ID */
  id: number;
  name: string;
  slug: string;
  headline: string;
  privacy: Privacy;
  memberCount: number;
  /** the caller's membership, if any */
  myState: MembershipState | null;
  myRole: MembershipRole | null;
}

export interface CommunityDetail extends CommunitySummary {
  description: string;
  leaderCount: number;
  /** what the caller may do here */
  can: { seeMembers: boolean; manage: boolean; invite: boolean; join: 'join' | 'request' | null; leave: boolean };
}

export interface AdminCommunityItem {
  id: number;
  name: string;
  slug: string;
  headline: string;
  description: string;
  privacy: Privacy;
  memberCount: number;
  invitedCount: number;
  landingEnabled: boolean;
  landingUrl: string;
  createdAt: number;
}

export const memberListStates = ['joined', 'leaders', 'requested', 'invited'] as const;
export type MemberListState = (typeof memberListStates)[number];

export interface CommunityMemberItem {
  personId: number;
  firstName: string;
  lastName: string;
  /** shown to the community's leaders and site admins only */
  email: string | null;
  role: MembershipRole;
  state: MembershipState;
  joinedAt: number | null;
  requestedAt: number;
}

export interface CommunityMemberPage {
  items: CommunityMemberItem[];
  nextCursor: string | null;
}
