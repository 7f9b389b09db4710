/** Step one of signing in: a 6-digit code and a one-time link, emailed, bound to the asking browser. */
import { limits } from '../../shared/limits.js';
import type { AppContext } from '../context.js';
import { queueEmail } from '../email/outbox.service.js';
import { AppError } from '../errors.js';
import { maskEmail } from '../log.js';
import { hmac, randomCode, randomToken, safeEqual } from '../crypto.js';
import type { CodeDelivery, SignInCodeAnswerBody } from '../../shared/auth.js';
import { normalizeEmail } from './email-address.js';
import {
  codeSendsSince,
  deleteSignInCodesBefore,
  hitRateLimit,
  insertSignInCode,
  lockEmailForCodeRequest,
  lockNewestSignInCode,
} from './sign-in.repository.js';
import type { SignInCodeEmail } from './sign-in.email.js';

const HOUR_MS = 60 * 60 * 1000;
/**
 * Code requests per IP address per hour; more answer 429 (this says nothing about any account).
 * Generous on purpose: a campus network puts hundreds of people behind one address, e.g. when a
 * landing page's QR code is shown at an event. Each address is still held to 5 emails an hour.
 */
export const codeRequestsPerIpPerHour = 120;
/** Rows older than this serve no limit any more (the daily failure count looks back 24 h). */
const KEEP_ROWS_MS = 25 * HOUR_MS;

export interface SignInCodeRequest {
  /** as typed; trimmed and lower-cased here */
  readonly email: string;
  readonly ip: string;
  /** the browser's attempt cookie (see issueAttemptCookie) */
  readonly attemptToken: string;
  readonly purpose?: 'sign_in' | 'landing';
  readonly communityId?: number | null;
  /** shown in the email ("to join …") */
  readonly communityName?: string;
  /** where the link points, before the token; default `/auth/link/` */
  readonly linkPath?: string;
}

export interface SignInCodeRequested {
  readonly email: string;
  /**
   * `sent`, or why the address's send limits held the email back (see CodeDelivery). The limits
   * count every request for the address, known to the site or not, so telling says nothing about
   * an account.
   */
  readonly delivery: CodeDelivery;
  /** when another code may be sent to the address, from now */
  readonly resendAfterMs: number;
}

/**
 * Creates a code and link for the address and queues the email, in one transaction. Does the
 * same work whether or not the site knows the address, so that answers and timing match. An
 * address over its send limits gets no email; the answer says why and when to ask again.
 * Throws `invalid_email`, or `rate_limited` when this IP asked too often.
 */
export async function requestSignInCode(ctx: AppContext, input: SignInCodeRequest): Promise<SignInCodeRequested> {
  const email = normalizeEmail(input.email);
  if (!email) throw new AppError('invalid_email');
  const now = ctx.clock.now();
  const { secret } = ctx.config;
  // One transaction for the IP counter, the code and its email: on SQLite every commit is a
  // disk sync, and this route must stay fast under a crowd at an event.
  const result = await ctx.db.transaction().execute(async (trx): Promise<Omit<SignInCodeRequested, 'email'>> => {
    const ipCount = await hitRateLimit(trx, `sign_in_code:ip:${hmac(secret, 'ip', input.ip)}`, now - (now % HOUR_MS));
    if (ipCount > codeRequestsPerIpPerHour) {
      ctx.log.warn({ event: 'sign_in.ip_limited' }, 'sign-in code requests from one IP over the hourly cap');
      throw new AppError('rate_limited');
    }
    await lockEmailForCodeRequest(trx, email);
    const recent = await codeSendsSince(trx, email, now - HOUR_MS);
    if (recent.count >= limits.codeSendsPerHour) {
      const oldest = recent.oldest ?? now;
      return { delivery: 'hourly_limit', resendAfterMs: Math.max(oldest + HOUR_MS - now, 0) };
    }
    if (recent.newest !== null && now - recent.newest < limits.codeSendMinIntervalMs) {
      // The code of less than a minute ago is on its way: say whose browser it works in.
      const newest = await lockNewestSignInCode(trx, email);
      const here =
        newest !== undefined &&
        safeEqual(newest.attempt_hash, hmac(secret, 'sign_in_attempt', input.attemptToken)) &&
        newest.used_at === null;
      return {
        delivery: here ? 'sent_earlier' : 'sent_elsewhere',
        resendAfterMs: recent.newest + limits.codeSendMinIntervalMs - now,
      };
    }
    await deleteSignInCodesBefore(trx, email, now - KEEP_ROWS_MS);

    const code = randomCode();
    const linkToken = randomToken(32);
    const expiresAt = now + limits.signInCodeTtlMs;
    const id = await insertSignInCode(trx, {
      email,
      code_hash: hmac(secret, 'sign_in_code', code),
      link_token_hash: hmac(secret, 'sign_in_link', linkToken),
      attempt_hash: hmac(secret, 'sign_in_attempt', input.attemptToken),
      purpose: input.purpose ?? 'sign_in',
      community_id: input.communityId ?? null,
      failed_attempts: 0,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
    });
    const payload: SignInCodeEmail = {
      code,
      link: `${ctx.config.publicUrl}${input.linkPath ?? '/auth/link/'}${linkToken}`,
      expiresInMinutes: Math.round(limits.signInCodeTtlMs / 60_000),
      communityName: input.communityName ?? null,
    };
    await queueEmail(ctx, trx, {
      template: 'sign_in_code',
      category: 'transactional',
      expiresAt,
      dedupeKey: `sign_in_code:${id}`,
      to: email,
      payload: { ...payload },
    });
    return { delivery: 'sent', resendAfterMs: limits.codeSendMinIntervalMs };
  });
  ctx.log.info(
    {
      event: 'sign_in.code_requested',
      email: maskEmail(email),
      sent: result.delivery === 'sent',
      delivery: result.delivery,
      purpose: input.purpose ?? 'sign_in',
    },
    'sign-in code requested',
  );
  return { email, ...result };
}

/** The answer to a code request, the same shape for sign-in and landing pages. */
export function codeRequestAnswer(requested: SignInCodeRequested): SignInCodeAnswerBody {
  return {
    ok: true,
    delivery: requested.delivery,
    expiresInSeconds: limits.signInCodeTtlMs / 1000,
    resendAfterSeconds: Math.ceil(requested.resendAfterMs / 1000),
  };
}
