/** People as the API shows them, shared by the server and the web app. */
import { z } from 'zod';
import { idSchema } from './api.js';
import { limits } from './limits.js';
import { personStatuses } from './enums.js';

/** The Members screen's tabs: one per status, plus Admins (site admins of any status). */
export const personTabs = ['active', 'pending', 'invited', 'pre_verified', 'inactive', 'admins'] as const;
export type PersonTab = (typeof personTabs)[number];

export const personTabCountsSchema = z.object({
  active: z.number().int(),
  pending: z.number().int(),
  invited: z.number().int(),
  pre_verified: z.number().int(),
  inactive: z.number().int(),
  admins: z.number().int(),
} satisfies Record<PersonTab, z.ZodNumber>);
export type PersonTabCounts = z.output<typeof personTabCountsSchema>;

export const personListItemSchema = z.object({
  /** the Profile ID */
  id: z.number().int(),
  uniqueId: z.string().nullable(),
  preverificationId: z.number().int().nullable(),
  email: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  memberType: z.string().nullable(),
  status: z.enum(personStatuses),
  isAdmin: z.boolean(),
  createdAt: z.number(),
  activatedAt: z.number().nullable(),
  lastSignInAt: z.number().nullable(),
});
export type PersonListItem = z.output<typeof personListItemSchema>;

/**
 * Where a pending person came from: the landing page, invitation or data job of their first
 * membership, or the site's own sign-in page (`sign_up`) when they have none.
 */
export const personOriginSchema = z.object({
  kind: z.enum(['landing', 'invite', 'data_job', 'sign_up']),
  communityId: z.number().int().nullable(),
  communityName: z.string().nullable(),
  /** the inviter's name, for `invite` */
  invitedBy: z.string().nullable(),
  /** the data job, for `data_job` */
  dataJobId: z.number().int().nullable(),
});
export type PersonOrigin = z.output<typeof personOriginSchema>;

export const personListQuery = z.object({
  status: z.enum(personTabs).default('active'),
  q: z.string().max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const personPageSchema = z.object({
  /** on the Pending tab, each item also says where the person came from (`origin`) */
  items: z.array(personListItemSchema.extend({ origin: personOriginSchema.optional() })),
  nextCursor: z.string().nullable(),
  counts: personTabCountsSchema,
});
export type PersonPage = z.output<typeof personPageSchema>;

export const personMembershipItemSchema = z.object({
  communityId: z.number().int(),
  communityName: z.string(),
  privacy: z.string(),
  state: z.string(),
  role: z.string(),
  source: z.string(),
  invitedAt: z.number().nullable(),
  invitedBy: z.string().nullable(),
  joinedAt: z.number().nullable(),
});
export type PersonMembershipItem = z.output<typeof personMembershipItemSchema>;

export const personDetailSchema = personListItemSchema.extend({
  memberships: z.array(personMembershipItemSchema),
  hasInviteUrl: z.boolean(),
});
export type PersonDetail = z.output<typeof personDetailSchema>;

/** A status action's answer: the person afterwards (after a merge, the record kept). */
export const personAnswerSchema = z.object({ person: personListItemSchema });
/** Pre-verifying one person: the person and their personal invite URL (shown once). */
export const preverifyAnswerSchema = z.object({ person: personListItemSchema, inviteUrl: z.string() });
export const inviteUrlAnswerSchema = z.object({ inviteUrl: z.string() });
export const approveInputSchema = z.object({ uniqueId: z.string().max(100).nullable().optional() }).optional();
export const adminInputSchema = z.object({ isAdmin: z.boolean() });

export const inviteTokenParams = z.object({ token: z.string().max(100) });

/** The personal welcome page of a pre-verified person (GET /api/invite/:token; grants nothing). */
export const inviteWelcomeSchema = z.object({
  firstName: z.string(),
  lastName: z.string(),
  /** the address the person proves by code on the welcome page */
  email: z.string().nullable(),
  siteName: z.string(),
  /** 'pre_verified' until they sign in; 'active' afterwards (the page then offers sign-in) */
  status: z.enum(['pre_verified', 'active']),
});
export type InviteWelcome = z.output<typeof inviteWelcomeSchema>;

export const memberTypeSchema = z.object({ id: z.number().int(), name: z.string() });
export type MemberType = z.output<typeof memberTypeSchema>;
export const memberTypeListSchema = z.object({ items: z.array(memberTypeSchema) });

const name = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(limits.nameChars, `may be at most ${limits.nameChars} characters`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/** "Add one": pre-verify a single person. Email or Unique ID, not neither. */
export const preverifyInputSchema = z
  .object({
    email: z
      .string()
      .trim()
      .toLowerCase()
      .max(limits.emailChars)
      .refine((v) => v === '' || z.email().safeParse(v).success, 'is not a valid email address')
      .optional()
      .transform((v) => (v ? v : undefined)),
    uniqueId: optionalText(100),
    firstName: name,
    lastName: name,
    memberType: optionalText(100),
  })
  .refine((v) => v.email !== undefined || v.uniqueId !== undefined, {
    message: 'Enter an email or a Unique ID (or both).',
    path: ['email'],
  });
export type PreverifyInput = z.output<typeof preverifyInputSchema>;

export const memberTypeInputSchema = z.object({ name: z.string().trim().min(1).max(100) });

/** `POST /api/admin/people/approve`: approve many pending people at once (at most `limits.bulkApproveMax`). */
export const bulkApproveInputSchema = z.object({ ids: z.array(idSchema).min(1) });

/** One person's result: approved, or why not (the same codes as approving them alone). */
export const bulkApproveResultSchema = z.object({
  id: z.number().int(),
  approved: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export const bulkApproveAnswerSchema = z.object({
  results: z.array(bulkApproveResultSchema),
  approved: z.number().int(),
  failed: z.number().int(),
});
export type BulkApproveAnswer = z.output<typeof bulkApproveAnswerSchema>;
