/** A member's own profile: `PATCH /api/me` sets their name. */
import { z } from 'zod';
import { limits } from './limits.js';

const name = z.string().trim().max(limits.nameChars);

export const profilePatchSchema = z
  .object({ firstName: name.optional(), lastName: name.optional() })
  .strict()
  .refine((p) => p.firstName !== undefined || p.lastName !== undefined, 'Give a first or a last name.');
export type ProfilePatch = z.output<typeof profilePatchSchema>;
