/** API token rows → the admin screen's shape. */
import type { ApiToken } from '../../shared/api-tokens.js';
import type { ApiTokenListRow } from './api-token.repository.js';
import { parseScopes } from './api-token.policy.js';

const nameOf = (first: string | null, last: string | null) => [first, last].filter(Boolean).join(' ');

export function toApiToken(row: ApiTokenListRow, now: number): ApiToken {
  const state =
    row.revoked_at !== null ? 'revoked' : row.expires_at !== null && row.expires_at <= now ? 'expired' : 'active';
  return {
    id: row.id,
    name: row.name,
    scopes: parseScopes(row.scopes),
    state,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    owner: {
      id: row.owner_id,
      name: nameOf(row.owner_first_name, row.owner_last_name),
      email: row.owner_email,
    },
    createdBy:
      row.creator_id === null
        ? null
        : {
            id: row.creator_id,
            name: nameOf(row.creator_first_name, row.creator_last_name),
            email: row.creator_email,
          },
  };
}
