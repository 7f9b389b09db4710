/** The error body every route answers with (`{ error: { code, message, details? } }`), for routes' response schemas. */
import { z } from 'zod';

export const errorAnswerSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** A route's error answers: always 400 and 500, plus the statuses given. */
export function errorAnswers<S extends number>(...statuses: S[]): Record<S | 400 | 500, typeof errorAnswerSchema> {
  const out = {} as Record<S | 400 | 500, typeof errorAnswerSchema>;
  for (const status of [400, 500, ...statuses] as (S | 400 | 500)[]) out[status] = errorAnswerSchema;
  return out;
}

export const okAnswerSchema = z.object({ ok: z.literal(true) });
