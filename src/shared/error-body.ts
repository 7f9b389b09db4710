/** The error answer's shape, for routes' response schemas (OpenAPI). */
import { z } from 'zod';

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
