/** Deletes sign-in rows that no rule looks at any more; for the `maintenance.cleanup` job. */
import { limits } from '../../shared/limits.js';
import type { AppContext } from '../context.js';

const HOUR_MS = 60 * 60 * 1000;
const PREFIX = 'sign_in_code:';

export interface SignInCleanup {
  readonly signInCodes: number;
  readonly rateLimits: number;
  readonly sessions: number;
}

/**
 * Sign-in codes and links older than 25 h (the daily failure count looks back 24 h; admin
 * bootstrap links live 24 h), this feature's per-IP counters from earlier hours, and sessions past
 * their idle or absolute end.
 */
export async function purgeExpiredSignInData(ctx: AppContext): Promise<SignInCleanup> {
  const now = ctx.clock.now();
  const codes = await ctx.db
    .deleteFrom('sign_in_code')
    .where('created_at', '<', now - 25 * HOUR_MS)
    .executeTakeFirst();
  const counters = await ctx.db
    .deleteFrom('rate_limit')
    // substr rather than LIKE ('_' is a wildcard; escapes differ by dialect) or a range (collations differ)
    .where((eb) => eb(eb.fn<string>('substr', ['key', eb.lit(1), eb.lit(PREFIX.length)]), '=', PREFIX))
    .where('window_start', '<', now - HOUR_MS)
    .executeTakeFirst();
  const sessions = await ctx.db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - limits.sessionIdleMs)]))
    .executeTakeFirst();
  return {
    signInCodes: Number(codes.numDeletedRows),
    rateLimits: Number(counters.numDeletedRows),
    sessions: Number(sessions.numDeletedRows),
  };
}
