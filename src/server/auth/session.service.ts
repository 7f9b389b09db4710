/** Sessions: opaque 128-bit tokens, stored as HMACs, with idle and absolute timeouts. */
import { limits } from '../../shared/limits.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { PersonRow } from '../db/schema.js';
import { hmac, randomToken } from '../crypto.js';
import { deleteSession, findSessionWithPerson, insertSession, touchSession } from './session.repository.js';

const TOUCH_EVERY_MS = 60_000;

export function sessionIdOf(ctx: AppContext, token: string): string {
  return hmac(ctx.config.secret, 'session', token);
}

/** Creates a session and returns the token for the cookie (the only copy of it). */
export async function createSession(
  ctx: AppContext,
  db: DbOrTrx,
  personId: number,
  userAgent?: string,
): Promise<{ token: string; expiresAt: number }> {
  const token = randomToken(16);
  const now = ctx.clock.now();
  const expiresAt = now + limits.sessionAbsoluteMs;
  await insertSession(db, {
    id: sessionIdOf(ctx, token),
    person_id: personId,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    user_agent: userAgent?.slice(0, 200) ?? null,
  });
  return { token, expiresAt };
}

/**
 * A write on the read path (a last-seen time, an ended session's removal) must not fail the read:
 * on a full disk or a locked database it is skipped, and done on a later request.
 */
export async function bookkeeping(ctx: AppContext, what: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    ctx.log.warn({ code: (error as { code?: unknown }).code, what }, 'bookkeeping write skipped');
  }
}

/** The session's person when the token is valid, not idle too long, not past its absolute end, and the person is active. */
export async function resolveSession(
  ctx: AppContext,
  token: string,
): Promise<{ sessionId: string; person: PersonRow } | undefined> {
  const id = sessionIdOf(ctx, token);
  const found = await findSessionWithPerson(ctx.db, id);
  if (!found) return undefined;
  const now = ctx.clock.now();
  const { session, person } = found;
  if (now >= session.expires_at || now - session.last_seen_at >= limits.sessionIdleMs || person.status !== 'active') {
    await bookkeeping(ctx, 'ended session removal', () => deleteSession(ctx.db, id));
    return undefined;
  }
  if (now - session.last_seen_at >= TOUCH_EVERY_MS)
    await bookkeeping(ctx, 'session last-seen time', () => touchSession(ctx.db, id, now));
  return { sessionId: id, person };
}

export async function endSession(ctx: AppContext, sessionId: string): Promise<void> {
  await deleteSession(ctx.db, sessionId);
}
