/** API token shapes (`/api/admin/tokens`) shared by the server and the web app. */
import { z } from 'zod';
import { apiTokenScopes } from './enums.js';

export const apiTokenNameChars = 100;

/** `POST /api/admin/tokens`: a name, one or more scopes, and an expiry (epoch ms) or null for none. */
export const apiTokenCreateBody = z.object({
  name: z.string().trim().min(1).max(apiTokenNameChars),
  scopes: z.array(z.enum(apiTokenScopes)).min(1).max(apiTokenScopes.length),
  expiresAt: z.number().int().positive().nullable(),
});
export type ApiTokenCreateBody = z.input<typeof apiTokenCreateBody>;

const personRef = z.object({ id: z.number().int(), name: z.string(), email: z.string().nullable() });

/** A token as the admin screen lists it; never its secret. */
export const apiTokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  scopes: z.array(z.enum(apiTokenScopes)),
  /** `active`, or why it no longer works */
  state: z.enum(['active', 'expired', 'revoked']),
  createdAt: z.number().int(),
  expiresAt: z.number().int().nullable(),
  lastUsedAt: z.number().int().nullable(),
  revokedAt: z.number().int().nullable(),
  /** the admin whose rights it carries */
  owner: personRef,
  /** who created it; null when made on the command line */
  createdBy: personRef.nullable(),
});
export type ApiToken = z.output<typeof apiTokenSchema>;

export const apiTokenListSchema = z.object({ tokens: z.array(apiTokenSchema) });
export type ApiTokenList = z.output<typeof apiTokenListSchema>;

/** The answer to a create: the token's row and, this once, the token itself (`cvn_…`). */
export const apiTokenCreatedSchema = apiTokenSchema.extend({ token: z.string() });
export type ApiTokenCreated = z.output<typeof apiTokenCreatedSchema>;
