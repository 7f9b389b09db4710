/**
 * Input that no route can use, refused before any route runs, in our error shape rather than as
 * a database error (a 500):
 * - NUL characters: PostgreSQL cannot store or compare text holding one ("invalid byte
 *   sequence"), and no field of ours has a use for one → 400.
 * - Path IDs (`:id`, `:personId`, …) beyond PostgreSQL's `integer` (2^31 − 1): no row can have
 *   one, and PostgreSQL fails the comparison ("out of range") → 404, as for any other unknown ID.
 */
import type { FastifyInstance } from 'fastify';
import { MAX_ROW_ID } from '../db/row-id.js';
import { AppError } from '../errors.js';

function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => holdsNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v, depth + 1));
}

function idBeyondRange(params: unknown): boolean {
  if (params === null || typeof params !== 'object') return false;
  return Object.entries(params).some(
    ([name, value]) =>
      (name === 'id' || name.endsWith('Id')) &&
      typeof value === 'string' &&
      /^\d+$/.test(value) &&
      Number(value) > MAX_ROW_ID,
  );
}

export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (holdsNul(request.params) || holdsNul(request.query) || holdsNul(request.body)) {
      throw new AppError('validation_failed', 'Text may not contain NUL characters.');
    }
    if (idBeyondRange(request.params)) throw new AppError('not_found');
  });
}
