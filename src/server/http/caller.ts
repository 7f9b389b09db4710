/** Who is asking: resolved once per request from the session cookie or an API token. */
import type { FastifyRequest } from 'fastify';
import type { PersonRow } from '../db/schema.js';
import { AppError } from '../errors.js';

export interface Caller {
  readonly person: PersonRow;
  readonly via: 'session' | 'token';
  /** the session's id (its HMAC), when signed in by cookie */
  readonly sessionId: string | null;
  /** the API token's id, when signed in by bearer token */
  readonly tokenId: number | null;
}

/** The signed-in caller, or 401. */
export function requireCaller(request: FastifyRequest): Caller {
  if (!request.caller) throw new AppError('unauthenticated');
  return request.caller;
}

/** A signed-in site admin, or 401/403. */
export function requireAdmin(request: FastifyRequest): Caller {
  const caller = requireCaller(request);
  if (caller.person.is_admin !== 1) throw new AppError('forbidden');
  return caller;
}
