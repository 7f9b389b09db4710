/** Step three: what a verified email address means for its person, and the session. */
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { PersonRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { maskEmail } from '../log.js';
import { ssoRequiredFor, ssoRequiredMessage } from '../sso/sso-required.js';
import { dropUnverifiedSsoLinks } from '../sso/unverified-links.js';
import { markInvitationsSignedIn } from '../memberships/index.js';
import { createSession } from './session.service.js';
import {
  activatePerson,
  findPersonByEmail,
  insertPendingPerson,
  isSignUpOpen,
  recordSignIn,
} from './sign-in.repository.js';
import {
  type CodeVerificationInput,
  type LinkVerificationInput,
  type Verification,
  type VerificationFailure,
  verifySignInCode,
  verifySignInLink,
} from './sign-in-verify.service.js';

export interface SignedIn {
  readonly person: PersonRow;
  /** the session token for the cookie (its only copy) */
  readonly session: { readonly token: string; readonly expiresAt: number };
}

export type SignInRefusal = 'account_pending' | 'account_inactive' | 'sign_up_closed' | 'sso_required';
export type SignInOutcome =
  ({ readonly ok: true } & SignedIn) | { readonly ok: false; readonly error: SignInRefusal; readonly message?: string };

/** Starts a session for a person who may sign in, and records the sign-in. */
export async function startSession(
  ctx: AppContext,
  trx: DbOrTrx,
  person: PersonRow,
  userAgent?: string,
): Promise<SignedIn> {
  const session = await createSession(ctx, trx, person.id, userAgent);
  await recordSignIn(trx, person.id, ctx.clock.now());
  // the invitation funnel's "signed in", in the same transaction as the session
  await markInvitationsSignedIn(trx, person.id, ctx.clock.now());
  return { person, session };
}

/**
 * The sign-in rules for a verified address: active → session; pre-verified or invited → active,
 * then session; unknown → a pending person when sign-up is open (site setting `signup_open`),
 * else refused; pending and inactive → refused. Runs in the caller's transaction. The proof of
 * the address removes single sign-on links made under it while it was unproved, whatever follows.
 */
export async function signInVerifiedEmail(
  ctx: AppContext,
  trx: DbOrTrx,
  email: string,
  userAgent?: string,
  how: 'code' | 'link' = 'code',
): Promise<SignInOutcome> {
  const now = ctx.clock.now();
  let person = await findPersonByEmail(trx, email);
  if (person) await dropUnverifiedSsoLinks(ctx, trx, person, how === 'code' ? 'email_code' : 'email_link');
  if (!person) {
    if (!(await isSignUpOpen(trx))) return { ok: false, error: 'sign_up_closed' };
    // A parallel invite may have created the address a moment ago: then its rules apply.
    person = (await insertPendingPerson(trx, email, now)) ?? (await findPersonByEmail(trx, email));
    if (!person) throw new AppError('conflict');
  }
  // People of a member type that must use single sign-on get no session from an email code.
  const required = await ssoRequiredFor(trx, person);
  if (required) return { ok: false, error: 'sso_required', message: ssoRequiredMessage(required) };
  switch (person.status) {
    case 'pending':
      return { ok: false, error: 'account_pending' };
    case 'inactive':
      return { ok: false, error: 'account_inactive' };
    case 'pre_verified':
    case 'invited':
      person = await activatePerson(trx, person.id, now);
      break;
    case 'active':
      break;
  }
  return { ok: true, ...(await startSession(ctx, trx, person, userAgent)) };
}

type Attempt =
  | ({ readonly ok: true } & SignedIn)
  | {
      readonly ok: false;
      readonly error: VerificationFailure | SignInRefusal;
      readonly email?: string;
      readonly message?: string;
    };

async function completeSignIn(
  ctx: AppContext,
  how: 'code' | 'link',
  verify: (trx: DbOrTrx) => Promise<Verification>,
  userAgent?: string,
): Promise<SignedIn> {
  const result = await ctx.db.transaction().execute(async (trx): Promise<Attempt> => {
    const verification = await verify(trx);
    if (!verification.ok) return verification;
    const outcome = await signInVerifiedEmail(ctx, trx, verification.email, userAgent, how);
    return outcome.ok ? outcome : { ...outcome, email: verification.email };
  });
  if (!result.ok) {
    ctx.log.info(
      { event: 'sign_in.refused', how, reason: result.error, email: result.email && maskEmail(result.email) },
      'sign-in refused',
    );
    throw new AppError(result.error, result.message);
  }
  ctx.log.info({ event: 'sign_in.succeeded', how, personId: result.person.id }, 'signed in');
  return { person: result.person, session: result.session };
}

/** `POST /api/auth/verify`: verifies the code and signs in by the rules above; throws the refusal after committing. */
export function signInWithCode(ctx: AppContext, input: CodeVerificationInput, userAgent?: string): Promise<SignedIn> {
  return completeSignIn(ctx, 'code', (trx) => verifySignInCode(ctx, trx, input), userAgent);
}

/** `POST /api/auth/link`: verifies the link token and signs in by the rules above. */
export function signInWithLink(ctx: AppContext, input: LinkVerificationInput, userAgent?: string): Promise<SignedIn> {
  return completeSignIn(ctx, 'link', (trx) => verifySignInLink(ctx, trx, input), userAgent);
}
