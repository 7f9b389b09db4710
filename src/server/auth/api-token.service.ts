/**
 * API tokens for admins' scripts: `Authorization: Bearer cvn_…`, stored as HMACs, with scopes
 * (`api-token.policy.ts`), an optional expiry and a last-used time written at most once a minute.
 */
import type { ApiToken, ApiTokenCreated } from '../../shared/api-tokens.js';
import type { ApiTokenScope } from '../../shared/enums.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import type { PersonRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { hmac, randomToken } from '../crypto.js';
import { findPersonById } from '../people/person.repository.js';
import { toApiToken } from './api-token.mapper.js';
import { formatScopes, parseScopes } from './api-token.policy.js';
import {
  findApiTokenListRow,
  findApiTokenWithPerson,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
  touchApiToken,
} from './api-token.repository.js';

const PREFIX = 'cvn_';
/** last_used_at is written at most this often per token, so reads are not a write each. */
export const TOKEN_TOUCH_EVERY_MS = 60_000;

export interface NewApiTokenInput {
  readonly name: string;
  readonly scopes: readonly ApiTokenScope[];
  /** epoch ms, or null: never expires */
  readonly expiresAt: number | null;
}

/**
 * Creates a token carrying the rights of `ownerId` (an active admin); `creatorId` is the admin
 * who asked, null on the command line. Returns the token's row and the token (shown once, never stored).
 */
export async function createApiToken(
  ctx: AppContext,
  ownerId: number,
  input: NewApiTokenInput,
  creatorId: number | null = ownerId,
): Promise<ApiTokenCreated> {
  const now = ctx.clock.now();
  if (input.expiresAt !== null && input.expiresAt <= now) throw new AppError('api_token_expiry_past');
  if (input.scopes.length === 0) throw new AppError('validation_failed', 'Choose at least one scope.');
  const token = PREFIX + randomToken(24);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const owner = await findPersonById(trx, ownerId);
    if (!owner || owner.status !== 'active' || owner.is_admin !== 1)
      throw new AppError('forbidden', 'API tokens are for active site admins.');
    const id = await insertApiToken(trx, {
      person_id: ownerId,
      name: input.name.trim().slice(0, 100),
      token_hash: hmac(ctx.config.secret, 'api_token', token),
      scopes: formatScopes(input.scopes),
      created_at: now,
      expires_at: input.expiresAt,
      created_by: creatorId,
    });
    await recordAudit(
      trx,
      {
        actorId: creatorId,
        action: 'api_token.create',
        targetType: 'api_token',
        targetId: id,
        details: { name: input.name, scopes: formatScopes(input.scopes), expiresAt: input.expiresAt, ownerId },
      },
      now,
    );
    return findApiTokenListRow(trx, id);
  });
  if (!row) throw new Error('the token just inserted was not found');
  return { ...toApiToken(row, now), token };
}

/** Every token of the site (any admin's), newest first, without secrets. */
export async function listTokens(ctx: AppContext): Promise<ApiToken[]> {
  const now = ctx.clock.now();
  return (await listApiTokens(ctx.db)).map((row) => toApiToken(row, now));
}

/** Revokes a token (any admin's: an admin may cut off a leaked token of another); revoking twice is a no-op. */
export async function revokeToken(ctx: AppContext, actorId: number | null, id: number): Promise<ApiToken> {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    if (!(await findApiTokenListRow(trx, id))) throw new AppError('not_found', 'No such API token.');
    if (await revokeApiToken(trx, id, now)) {
      await recordAudit(trx, { actorId, action: 'api_token.revoke', targetType: 'api_token', targetId: id }, now);
    }
    return findApiTokenListRow(trx, id);
  });
  if (!row) throw new AppError('not_found', 'No such API token.');
  return toApiToken(row, now);
}

/** The admin behind a bearer token and what the token may do. */
export interface TokenCaller {
  readonly person: PersonRow;
  readonly tokenId: number;
  readonly scopes: readonly ApiTokenScope[];
}

/**
 * The admin behind a bearer token, or undefined when the token is unknown or its person is no
 * longer an active admin. A revoked or expired token is refused with its own code, so a script's
 * owner knows to make a new one.
 */
export async function resolveApiToken(ctx: AppContext, token: string): Promise<TokenCaller | undefined> {
  if (!token.startsWith(PREFIX)) return undefined;
  const hash = hmac(ctx.config.secret, 'api_token', token);
  const row = await findApiTokenWithPerson(ctx.db, hash);
  if (!row) return undefined;
  if (row.revoked_at !== null) throw new AppError('api_token_revoked');
  const now = ctx.clock.now();
  if (row.token_expires_at !== null && row.token_expires_at <= now) throw new AppError('api_token_expired');
  if (row.status !== 'active' || row.is_admin !== 1) return undefined;
  if (row.last_used_at === null || now - row.last_used_at >= TOKEN_TOUCH_EVERY_MS) {
    // Bookkeeping only: a failed write (a busy or read-only database) must not fail the request it records.
    try {
      await touchApiToken(ctx.db, row.token_id, now);
    } catch (error) {
      ctx.log.warn({ err: error, tokenId: row.token_id }, 'api_token.touch_failed');
    }
  }
  const {
    token_id: tokenId,
    token_scopes: scopes,
    token_expires_at: _e,
    revoked_at: _r,
    last_used_at: _l,
    ...person
  } = row;
  return { person, tokenId, scopes: parseScopes(scopes) };
}
