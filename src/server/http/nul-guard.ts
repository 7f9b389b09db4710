/**
 * PostgreSQL cannot store or compare text holding a NUL character (it fails with "invalid byte
 * sequence"), and no field of ours has a use for one: refuse it in path params, the query string
 * and JSON bodies before a route runs, as a 400 in our error shape rather than a 500.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => holdsNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v, depth + 1));
}

export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (holdsNul(request.params) || holdsNul(request.query) || holdsNul(request.body)) {
      throw new AppError('validation_failed', 'Text may not contain NUL characters.');
    }
  });
}
