/** The site's public face, as GET /api/site answers (no sign-in needed). */
import { z } from 'zod';

export const siteSchema = z.object({ name: z.string() });
export type Site = z.output<typeof siteSchema>;
