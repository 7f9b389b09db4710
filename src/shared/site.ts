/** The site's public face, as GET /api/site answers (no sign-in needed). */
import { z } from 'zod';

export const siteSchema = z.object({
  name: z.string(),
  /** enabled single sign-on providers, for the sign-in and landing pages' buttons */
  identityProviders: z.array(z.object({ id: z.number().int(), name: z.string(), buttonLabel: z.string() })),
});
export type Site = z.output<typeof siteSchema>;
