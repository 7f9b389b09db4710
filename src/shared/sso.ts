/** Single sign-on: identity providers (admin settings), the public list, a person's links. */
import { z } from 'zod';
import { idSchema } from './api.js';

export const ssoKinds = ['oidc', 'saml'] as const;
export type SsoKind = (typeof ssoKinds)[number];

const name = z.string().trim().min(1, 'Enter a name.').max(100, 'At most 100 characters.');
const label = z.string().trim().min(1, 'Enter the button’s text.').max(100, 'At most 100 characters.');
const claim = z.string().trim().min(1, 'Enter the claim or attribute name.').max(200, 'At most 200 characters.');
const url = z.string().trim().url('Enter a full URL, such as https://login.example.edu.').max(2000);
const memberTypes = z
  .array(z.string().trim().min(1).max(100, 'A member type has at most 100 characters.'))
  .max(50, 'At most 50 member types.');

const common = {
  name,
  /** the sign-in button's text; default "Sign in with <name>" */
  buttonLabel: label.optional(),
  enabled: z.boolean().optional(),
  /** match a person by the email this provider asserts as verified (only for a provider that owns its addresses) */
  trustEmail: z.boolean(),
  /** people of these member types must sign in through a provider (no email codes) */
  requiredForMemberTypes: memberTypes.optional(),
};

export const oidcProviderBody = z.object({
  kind: z.literal('oidc'),
  ...common,
  issuer: url,
  clientId: z.string().trim().min(1, 'Enter the client ID.').max(500),
  clientSecret: z.string().min(1, 'Enter the client secret.').max(2000),
  /** space-separated; `openid` is always asked for */
  scopes: z.string().trim().max(500).optional(),
  uniqueIdClaim: claim,
});

export const samlProviderBody = z
  .object({
    kind: z.literal('saml'),
    ...common,
    metadataXml: z.string().min(1).max(1_000_000).optional(),
    metadataUrl: url.optional(),
    /** chooses the IdP in a federation's aggregate metadata (one with many IdPs) */
    entityId: z.string().trim().min(1).max(1000).optional(),
    uniqueIdAttribute: claim,
    emailAttribute: claim,
    firstNameAttribute: claim.nullable().optional(),
    lastNameAttribute: claim.nullable().optional(),
  })
  .refine((b) => (b.metadataXml === undefined) !== (b.metadataUrl === undefined), {
    message: 'Give metadataXml or metadataUrl (one of them).',
    path: ['metadataXml'],
  });

export const identityProviderBody = z.union([oidcProviderBody, samlProviderBody]);
export type IdentityProviderBody = z.output<typeof identityProviderBody>;

/** PATCH: any field of the provider's kind; a new clientSecret replaces the old one. */
export const identityProviderPatch = z
  .object({
    name: name.optional(),
    buttonLabel: label.optional(),
    enabled: z.boolean().optional(),
    trustEmail: z.boolean().optional(),
    requiredForMemberTypes: memberTypes.optional(),
    issuer: url.optional(),
    clientId: z.string().trim().min(1, 'Enter the client ID.').max(500).optional(),
    clientSecret: z.string().min(1, 'Enter the client secret.').max(2000).optional(),
    scopes: z.string().trim().max(500).optional(),
    uniqueIdClaim: claim.optional(),
    metadataXml: z.string().min(1).max(1_000_000).optional(),
    metadataUrl: url.optional(),
    entityId: z.string().trim().min(1, 'Enter the IdP’s entity ID.').max(1000).optional(),
    uniqueIdAttribute: claim.optional(),
    emailAttribute: claim.optional(),
    firstNameAttribute: claim.nullable().optional(),
    lastNameAttribute: claim.nullable().optional(),
  })
  .strict();
export type IdentityProviderPatch = z.output<typeof identityProviderPatch>;

/** A provider as admins see it: never the client secret, only whether one is set. */
export const identityProviderSchema = z.object({
  id: idSchema,
  kind: z.enum(ssoKinds),
  name: z.string(),
  buttonLabel: z.string(),
  enabled: z.boolean(),
  trustEmail: z.boolean(),
  requiredForMemberTypes: z.array(z.string()),
  oidc: z
    .object({
      issuer: z.string(),
      clientId: z.string(),
      clientSecretSet: z.boolean(),
      scopes: z.string(),
      uniqueIdClaim: z.string(),
      /** register this at the provider */
      redirectUri: z.string(),
    })
    .nullable(),
  saml: z
    .object({
      metadataUrl: z.string().nullable(),
      entityId: z.string(),
      ssoUrl: z.string(),
      uniqueIdAttribute: z.string(),
      emailAttribute: z.string(),
      firstNameAttribute: z.string().nullable(),
      lastNameAttribute: z.string().nullable(),
      /** what the IdP's admin needs: Convene's SP metadata, entity id and ACS */
      spMetadataUrl: z.string(),
      spEntityId: z.string(),
      acsUrl: z.string(),
    })
    .nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type IdentityProvider = z.output<typeof identityProviderSchema>;
export const identityProviderList = z.object({ items: z.array(identityProviderSchema) });

/** What the sign-in and landing pages show: enabled providers. */
export const publicIdentityProviderSchema = z.object({ id: idSchema, name: z.string(), buttonLabel: z.string() });
export type PublicIdentityProvider = z.output<typeof publicIdentityProviderSchema>;

/** `GET /api/sso/:id/start` query. */
export const ssoStartQuery = z.object({
  /** a path on this site to go to afterwards */
  next: z.string().max(2000).optional(),
  /** a landing page's slug: its join applies after signing in */
  landing: z.string().max(200).optional(),
  /** `link`: a signed-in person links this provider's account to their profile */
  intent: z.enum(['sign_in', 'link']).optional(),
});

/** A person's links (their profile). */
export const ssoLinkSchema = z.object({
  providerId: idSchema,
  providerName: z.string(),
  email: z.string().nullable(),
  linkedAt: z.number(),
});
export const myLinksAnswer = z.object({
  items: z.array(ssoLinkSchema),
  /** providers this person may link (enabled, not linked yet) */
  available: z.array(publicIdentityProviderSchema),
  /**
   * links removed in the last 30 days because they were made under this person's address before
   * the address was proved (and not linked again since): the profile says so
   */
  removed: z.array(z.object({ providerId: idSchema, providerName: z.string(), removedAt: z.number() })),
});
export type MyLinks = z.output<typeof myLinksAnswer>;
