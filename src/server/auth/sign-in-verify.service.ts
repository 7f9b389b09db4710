/**
 * Step two: check a code or a link. These run inside the caller's transaction and return
 * results instead of throwing, so that a wrong try is counted (committed) even though the
 * request fails; the caller throws AppError(result.error) after the commit.
 */
import { limits } from '../../shared/limits.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { SignInCodeRow } from '../db/schema.js';
import { hmac, safeEqual } from '../crypto.js';
import { normalizeEmail } from './email-address.js';
import {
  addFailedAttempt,
  countFailedAttemptsSince,
  hasNewerSignInCode,
  lockNewestSignInCode,
  lockSignInCodeByLinkHash,
  markSignInCodeUsed,
} from './sign-in.repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export type VerificationFailure =
  | 'code_invalid'
  | 'code_expired'
  | 'code_attempts_exceeded'
  | 'daily_attempts_exceeded'
  | 'sign_in_other_browser'
  | 'link_invalid';

export type Verification =
  | {
      readonly ok: true;
      readonly email: string;
      readonly purpose: SignInCodeRow['purpose'];
      readonly communityId: number | null;
    }
  | { readonly ok: false; readonly error: VerificationFailure };

const fail = (error: VerificationFailure): Verification => ({ ok: false, error });
const verified = (row: SignInCodeRow): Verification => ({
  ok: true,
  email: row.email,
  purpose: row.purpose,
  communityId: row.community_id,
});

function sameBrowser(ctx: AppContext, row: SignInCodeRow, attemptToken: string | undefined): boolean {
  return (
    attemptToken !== undefined && safeEqual(row.attempt_hash, hmac(ctx.config.secret, 'sign_in_attempt', attemptToken))
  );
}

export interface CodeVerificationInput {
  readonly email: string;
  readonly code: string;
  /** the browser's attempt cookie; without one, or without a code of its own, `sign_in_other_browser` */
  readonly attemptToken: string | undefined;
}

/**
 * Checks a code against the newest code of the address: same browser, not used, fewer than 5
 * wrong tries, fewer than 20 wrong tries for the address in 24 h from this browser (a stranger's
 * guesses, made on codes their own browser asked for, never block the owner's), not expired, equal (in
 * constant time). A match marks the code used; a mismatch counts.
 */
export async function verifySignInCode(
  ctx: AppContext,
  trx: DbOrTrx,
  input: CodeVerificationInput,
): Promise<Verification> {
  const email = normalizeEmail(input.email);
  if (input.attemptToken === undefined) return fail('sign_in_other_browser');
  if (!email) return fail('code_invalid');
  const now = ctx.clock.now();
  const row = await lockNewestSignInCode(trx, email);
  // No code, or another browser's: one answer, so that a made-up attempt cookie cannot tell
  // whether the address asked for a code recently.
  if (!row || !sameBrowser(ctx, row, input.attemptToken)) return fail('sign_in_other_browser');
  if ((await countFailedAttemptsSince(trx, email, row.attempt_hash, now - DAY_MS)) >= limits.signInDailyFailures)
    return fail('daily_attempts_exceeded');
  if (row.used_at !== null) return fail('code_invalid');
  if (row.failed_attempts >= limits.signInCodeMaxAttempts) return fail('code_attempts_exceeded');
  if (now >= row.expires_at) return fail('code_expired');

  const code = input.code.replace(/\s+/g, '');
  if (safeEqual(row.code_hash, hmac(ctx.config.secret, 'sign_in_code', code))) {
    return (await markSignInCodeUsed(trx, row.id, now)) ? verified(row) : fail('code_invalid');
  }
  const failures = await addFailedAttempt(trx, row.id);
  if ((await countFailedAttemptsSince(trx, email, row.attempt_hash, now - DAY_MS)) >= limits.signInDailyFailures)
    return fail('daily_attempts_exceeded');
  return fail(failures >= limits.signInCodeMaxAttempts ? 'code_attempts_exceeded' : 'code_invalid');
}

export interface LinkVerificationInput {
  readonly token: string;
  readonly attemptToken: string | undefined;
}

/**
 * Checks a one-time link token: known, same browser (except admin bootstrap links, which
 * `convene admin add` prints for a browser it cannot know), the newest of its kind for the
 * address, not used, not killed by wrong codes, not expired. A match marks it used.
 */
export async function verifySignInLink(
  ctx: AppContext,
  trx: DbOrTrx,
  input: LinkVerificationInput,
): Promise<Verification> {
  const now = ctx.clock.now();
  // Looked up by HMAC through a unique index: the token itself is never compared or stored.
  const row = await lockSignInCodeByLinkHash(trx, hmac(ctx.config.secret, 'sign_in_link', input.token));
  if (!row) return fail('link_invalid');
  if (row.purpose !== 'admin_bootstrap' && !sameBrowser(ctx, row, input.attemptToken))
    return fail('sign_in_other_browser');
  if (row.used_at !== null || row.failed_attempts >= limits.signInCodeMaxAttempts) return fail('link_invalid');
  if (await hasNewerSignInCode(trx, row)) return fail('link_invalid');
  if (now >= row.expires_at) return fail('code_expired');
  return (await markSignInCodeUsed(trx, row.id, now)) ? verified(row) : fail('link_invalid');
}
