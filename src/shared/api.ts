/**
 * What every route of the API shares: the id parameter, the error body, the small answers
 * (`{ ok: true }`) and the OpenAPI descriptions of answers that are not JSON (CSV, images, redirects).
 */
import { z } from 'zod';
import { type ErrorCode, errorBodySchema, type errorCatalogue } from './errors.js';

/**
 * The largest row ID. Every ID is an `integer` column, and PostgreSQL's `integer` is 32-bit
 * signed (SQLite's holds 64 bits, so PostgreSQL sets the bound); PostgreSQL refuses to compare
 * a larger number with one ("out of range"), so no larger number can name a row.
 */
export const MAX_ROW_ID = 2_147_483_647;

/** A row ID in a path or a query string (`/api/communities/:id`). */
export const idParam = z.coerce.number().int().positive().max(MAX_ROW_ID);
/** A row ID in a JSON body. */
export const idSchema = z.number().int().positive().max(MAX_ROW_ID);
export const idParams = z.object({ id: idParam });
/** A person in a community (`/api/communities/:id/…/:personId`). */
export const communityPersonParams = z.object({ id: idParam, personId: idParam });

export type ErrorStatus = (typeof errorCatalogue)[ErrorCode]['status'];

/**
 * The error answers of a route, for its `response` schema: always 400 (a request that does not
 * validate) and 500, plus the statuses given.
 */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]): Record<S | 400 | 500, typeof errorBodySchema> {
  const out = {} as Record<S | 400 | 500, typeof errorBodySchema>;
  for (const status of [400, 500, ...statuses] as (S | 400 | 500)[]) out[status] = errorBodySchema;
  return out;
}

/** The errors any signed-in route may answer: signed out (401), not allowed or a cross-site request (403). */
export const signedInErrors = [401, 403] as const;
/** …and a body too large (413) or not JSON (415), for routes that read one. */
export const bodyErrors = [403, 413, 415] as const;

export const okSchema = z.object({ ok: z.literal(true) });
/** GET /readyz: the database answered. */
export const readyAnswerSchema = z.object({ ok: z.literal(true), database: z.enum(['sqlite', 'postgres']) });

/**
 * An answer that is not JSON, as the OpenAPI document describes it. Fastify sends a stream, a
 * buffer or text with its own content type as it is (no serializer runs), so the schema only
 * documents: any value, shown as a string.
 */
function contentResponse(description: string, type: string, format?: 'binary') {
  return {
    description,
    content: { [type]: { schema: z.unknown().meta({ type: 'string', ...(format ? { format } : {}) }) } },
  };
}

/** A CSV download (`text/csv`). */
export const csvResponse = (description: string) => contentResponse(description, 'text/csv');
/** Prometheus text exposition (`text/plain; version=0.0.4`). */
export const prometheusResponse = (description: string) => contentResponse(description, 'text/plain');
/** An uploaded image, whichever of PNG, JPEG and WebP it is. */
export const uploadedImageResponse = (description: string) => ({
  description,
  content: Object.fromEntries(
    ['image/png', 'image/jpeg', 'image/webp'].map((type) => [
      type,
      { schema: z.unknown().meta({ type: 'string', format: 'binary' }) },
    ]),
  ),
});
/** An image download. */
export const imageResponse = (description: string, type: 'image/png' | 'image/svg+xml') =>
  contentResponse(description, type, type === 'image/png' ? 'binary' : undefined);
