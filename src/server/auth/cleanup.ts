/** Deletes sign-in rows that no rule looks at any more; auth's part of the `maintenance.cleanup` job. */
import { limits } from '../../shared/limits.js';
import type { AppContext } from '../context.js';
import { deleteEndedSessions } from './session.repository.js';
import { deleteAllSignInCodesBefore, deleteSignInCountersBefore } from './sign-in.repository.js';

const HOUR_MS = 60 * 60 * 1000;

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
  const signInCodes = await deleteAllSignInCodesBefore(ctx.db, now - 25 * HOUR_MS);
  const rateLimits = await deleteSignInCountersBefore(ctx.db, now - HOUR_MS);
  const sessions = await deleteEndedSessions(ctx.db, now, now - limits.sessionIdleMs);
  return { signInCodes, rateLimits, sessions };
}
