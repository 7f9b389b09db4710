/** People as the API shows them, shared by the server and the web app. */
import { z } from 'zod';
import { limits } from './limits.js';
import type { PersonStatus } from './enums.js';

/** The Members screen's tabs: one per status, plus Admins (site admins of any status). */
export const personTabs = ['active', 'pending', 'invited', 'pre_verified', 'inactive', 'admins'] as const;
export type PersonTab = (typeof personTabs)[number];

export type PersonTabCounts = Record<PersonTab, number>;

export interface PersonListItem {
  /** the Profile ID */
  id: number;
  uniqueId: string | null;
  preverificationId: number | null;
  email: string | null;
  firstName: string;
  lastName: string;
  memberType: string | null;
  status: PersonStatus;
  isAdmin: boolean;
  createdAt: number;
  activatedAt: number | null;
  lastSignInAt: number | null;
}

export interface PersonPage {
  items: PersonListItem[];
  nextCursor: string | null;
  counts: PersonTabCounts;
}

export interface PersonMembershipItem {
  communityId: number;
  communityName: string;
  privacy: string;
  state: string;
  role: string;
  source: string;
  invitedAt: number | null;
  invitedBy: string | null;
  joinedAt: number | null;
}

export interface PersonDetail extends PersonListItem {
  memberships: PersonMembershipItem[];
  hasInviteUrl: boolean;
}

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
