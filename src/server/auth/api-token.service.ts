/** API tokens for admins' scripts: `Authorization: Bearer cvn_…`, stored as HMACs. */
import type { AppContext } from '../context.js';
import type { PersonRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { hmac, randomToken } from '../crypto.js';
import { findPersonById } from '../people/person.repository.js';
import { findApiTokenWithPerson, insertApiToken, touchApiToken } from './api-token.repository.js';
import { bookkeeping } from './session.service.js';

const PREFIX = 'cvn_';

/** Creates a token for an active admin; returns the token (shown once, never stored). */
export async function createApiToken(ctx: AppContext, personId: number, name: string): Promise<string> {
  const person = await findPersonById(ctx.db, personId);
  if (!person || person.status !== 'active' || person.is_admin !== 1)
    throw new AppError('forbidden', 'API tokens are for active site admins.');
  const token = PREFIX + randomToken(24);
  await insertApiToken(ctx.db, {
    person_id: personId,
    name: name.slice(0, 100),
    token_hash: hmac(ctx.config.secret, 'api_token', token),
    created_at: ctx.clock.now(),
  });
  return token;
}

/** The admin behind a bearer token, or undefined when it is unknown, revoked, or no longer an active admin. */
export async function resolveApiToken(ctx: AppContext, token: string): Promise<PersonRow | undefined> {
  if (!token.startsWith(PREFIX)) return undefined;
  const hash = hmac(ctx.config.secret, 'api_token', token);
  const row = await findApiTokenWithPerson(ctx.db, hash);
  if (!row || row.revoked_at !== null || row.status !== 'active' || row.is_admin !== 1) return undefined;
  const now = ctx.clock.now();
  if (row.last_used_at === null || now - row.last_used_at > 60_000) {
    await bookkeeping(ctx, 'API token last-used time', () => touchApiToken(ctx.db, row.token_id, now));
  }
  const { token_id: _t, revoked_at: _r, last_used_at: _l, ...person } = row;
  return person;
}
