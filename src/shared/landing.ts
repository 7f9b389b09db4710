/** Landing page shapes shared by the server and the web app: slugs, settings, the public page. */
import { z } from 'zod';
import { landingPolicies, privacies } from './enums.js';
import { limits } from './limits.js';

export const landingLimits = {
  slugMinChars: 2,
  slugMaxChars: 60,
  headlineChars: 200,
  welcomeChars: 5000,
  domains: 50,
  /** a landing page's logo or cover image: PNG, JPEG or WebP */
  imageMaxBytes: 2 * 1024 * 1024,
  imageMinSide: 16,
  imageMaxSide: 6000,
  /** the long side at most this many times the short one */
  imageMaxAspect: 8,
  imageAltChars: 200,
} as const;

/** The image types a landing page accepts (sniffed from the bytes, not the file name). */
export const landingImageTypes = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type LandingImageType = (typeof landingImageTypes)[number];

/** A landing page's logo or cover image as the page and its settings show it. */
export const landingImageSchema = z.object({
  /** changes with every upload (the image is cached for a long time under it) */
  url: z.string(),
  /** the admin's description, or the community's name */
  alt: z.string(),
  /** the admin's own description (null: the community's name is used) */
  altText: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  contentType: z.enum(landingImageTypes),
  bytes: z.number().int(),
});
export type LandingImage = z.infer<typeof landingImageSchema>;

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(landingLimits.slugMinChars, `The address needs at least ${landingLimits.slugMinChars} characters.`)
  .max(landingLimits.slugMaxChars, `The address may have at most ${landingLimits.slugMaxChars} characters.`)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens (e.g. class-of-2026).');

const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => v.replace(/^@/, ''))
  .pipe(
    z
      .string()
      .regex(
        /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        'Enter domains such as example.edu.',
      ),
  );

export const landingDomainsSchema = z
  .array(domainSchema)
  .max(landingLimits.domains, `At most ${landingLimits.domains} domains.`)
  .transform((list) => [...new Set(list)]);

/** The landing fields of a community, as the settings screen and PATCH send them. */
export const landingSettingsInput = z.object({
  landingEnabled: z.boolean().optional(),
  landingPolicy: z.enum(landingPolicies).optional(),
  landingDomains: landingDomainsSchema.optional(),
  slug: slugSchema.optional(),
  /** null or '' restores the community's own headline */
  landingHeadline: z.string().trim().max(landingLimits.headlineChars).nullable().optional(),
  /** null or '' restores the community's own description */
  landingWelcome: z.string().trim().max(landingLimits.welcomeChars).nullable().optional(),
  /** a new person must give their name (and member type); false: they may skip them */
  landingProfileRequired: z.boolean().optional(),
});
export type LandingSettingsInput = z.infer<typeof landingSettingsInput>;

/** A landing page's address, as visitors type it (an old slug still finds the page). */
export const landingSlugParams = z.object({ slug: z.string().min(1).max(100) });

export const landingEmailInput = z.object({
  email: z
    .string()
    .trim()
    .max(limits.emailChars)
    .pipe(z.email({ error: 'That is not a valid email address.' })),
});

const nameSchema = z.string().trim().min(1).max(limits.nameChars);

export const landingVerifyInput = z.object({
  email: z
    .string()
    .trim()
    .max(limits.emailChars)
    .pipe(z.email({ error: 'That is not a valid email address.' })),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'The code has 6 digits.'),
  firstName: nameSchema.optional(),
  lastName: nameSchema.optional(),
  memberType: z.string().trim().max(100).optional(),
  /** go on without the fields not given (refused while the page makes them required) */
  skipProfile: z.boolean().optional(),
});

export const landingLinkInput = z.object({
  token: z.string().min(10).max(200),
  firstName: nameSchema.optional(),
  lastName: nameSchema.optional(),
  memberType: z.string().trim().max(100).optional(),
  skipProfile: z.boolean().optional(),
});

/** What the public page shows; the same for every visitor. */
export const landingPageSchema = z.object({
  siteName: z.string(),
  /** the current slug: a visit through an old one moves to it */
  slug: z.string(),
  community: z.object({
    name: z.string(),
    headline: z.string(),
    description: z.string(),
    /** public communities only */
    memberCount: z.number().int().nullable(),
    /** the logo or cover image, if one was uploaded */
    image: landingImageSchema.nullable(),
  }),
  policy: z.object({ kind: z.enum(landingPolicies), domains: z.array(z.string()) }),
  /** the site's member types: a new person picks one (empty: the site has none) */
  memberTypes: z.array(z.string()),
});
export type LandingPage = z.infer<typeof landingPageSchema>;

/** How a verified visit ended. */
export const landingOutcomes = ['joined', 'already_member', 'pending_approval', 'not_joined'] as const;

export const landingResultSchema = z.object({
  outcome: z.enum(landingOutcomes),
  signedIn: z.boolean(),
  communityId: z.number().int(),
  communityName: z.string(),
  /** the person was created by this visit */
  created: z.boolean(),
});
export type LandingResult = z.infer<typeof landingResultSchema>;

/** The fields a new (or nameless invited) person gives before the visit can finish. */
export const landingProfileFields = ['firstName', 'lastName', 'memberType'] as const;

/**
 * The code or link is right but the site needs the person's name first: an answer, not an error
 * (the code or link stays usable; send it again with the fields).
 */
export const landingProfileNeededSchema = z.object({
  next: z.literal('profile'),
  fields: z.array(z.enum(landingProfileFields)),
  /** the site's member types to pick from (empty: the site has none) */
  memberTypes: z.array(z.string()),
  /** false: the visitor may skip the fields (send skipProfile: true) */
  required: z.boolean(),
});
export type LandingProfileNeeded = z.infer<typeof landingProfileNeededSchema>;

/** What verify and link answer: how the visit ended, or the fields still needed. */
export const landingVisitAnswerSchema = z.union([landingResultSchema, landingProfileNeededSchema]);
export type LandingVisitAnswer = z.infer<typeof landingVisitAnswerSchema>;

export const landingSettingsSchema = z.object({
  communityId: z.number().int(),
  name: z.string(),
  /** the community's privacy: a private one open to anyone from its page gets a warning */
  privacy: z.enum(privacies),
  slug: z.string(),
  url: z.string(),
  landingEnabled: z.boolean(),
  landingPolicy: z.enum(landingPolicies),
  landingDomains: z.array(z.string()),
  landingHeadline: z.string().nullable(),
  landingWelcome: z.string().nullable(),
  landingProfileRequired: z.boolean(),
  defaults: z.object({ headline: z.string(), welcome: z.string() }),
  image: landingImageSchema.nullable(),
});
export type LandingSettings = z.infer<typeof landingSettingsSchema>;

const statCounts = {
  visits: z.number(),
  codesSent: z.number(),
  verified: z.number(),
  joined: z.number(),
  peopleCreated: z.number(),
};
export const landingStatsSchema = z.object({
  totals: z.object(statCounts),
  /** the last 30 UTC days with any count, oldest first */
  days: z.array(z.object({ day: z.string(), ...statCounts })),
});
export type LandingStats = z.infer<typeof landingStatsSchema>;
