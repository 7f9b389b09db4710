/**
 * The landing page's sign-in/sign-up flow. The code and link rules are the sign-in feature's
 * (requestSignInCode, verifySignInCode, verifySignInLink); this file decides what a verified
 * address means on this community's page: sign in, activate, create, join, or wait for approval.
 */
import type { ErrorCode } from '../../shared/errors.js';
import type { LandingProfileNeeded, LandingResult } from '../../shared/landing.js';
import { requestSignInCode, type SignInCodeRequested } from '../auth/sign-in-code.service.js';
import { type Verification, verifySignInCode, verifySignInLink } from '../auth/sign-in-verify.service.js';
import { type SignedIn, startSession } from '../auth/sign-in.service.js';
import { activatePerson, isSignUpOpen } from '../auth/sign-in.repository.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow, PersonRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { maskEmail } from '../log.js';
import { findMemberTypeByName, listMemberTypes } from '../people/member-type.repository.js';
import { findPersonByEmail, insertPerson, updatePerson } from '../people/person.repository.js';
import { ssoRequiredFor, ssoRequiredMessage } from '../sso/sso-required.js';
import { dropUnverifiedSsoLinks } from '../sso/unverified-links.js';
import { joinFromLanding, rememberLandingJoin } from './landing-join.service.js';
import { countLandingEvent } from './landing-counters.js';
import { getLandingCommunity } from './landing-page.service.js';
import { domainsOf } from './landing-settings.service.js';
import { bumpLandingStat } from './landing-stat.repository.js';

export interface LandingProfile {
  readonly firstName?: string;
  readonly lastName?: string;
  readonly memberType?: string;
  /** go on without the fields not given, where the page does not require them */
  readonly skipProfile?: boolean;
}

/** Emails a code and link for this page (the same answer for every address; see requestSignInCode). */
export async function requestLandingCode(
  ctx: AppContext,
  slug: string,
  input: { email: string; ip: string; attemptToken: string },
): Promise<SignInCodeRequested> {
  const community = await getLandingCommunity(ctx, slug);
  const requested = await requestSignInCode(ctx, {
    ...input,
    purpose: 'landing',
    communityId: community.id,
    communityName: community.name,
    // The token rides in the fragment: browsers never send it, so no server or proxy logs it.
    linkPath: `/join/${community.slug}#link=`,
  });
  if (requested.delivery === 'sent') countLandingEvent(ctx, community.id, 'codes_sent');
  return requested;
}

/** Whether the page's policy lets an address the site does not know become a member at once. */
export function policyAdmits(community: CommunityRow, email: string): boolean {
  switch (community.landing_policy) {
    case 'anyone':
      return true;
    case 'known':
      return false;
    case 'domains': {
      const domain = email.slice(email.lastIndexOf('@') + 1);
      return domainsOf(community).some((d) => domain === d || domain.endsWith(`.${d}`));
    }
  }
}

/** Thrown inside the transaction so that the code or link stays usable for the retry with names. */
export class ProfileRequired extends Error {
  constructor(
    readonly fields: LandingProfileNeeded['fields'],
    readonly memberTypes: string[],
    readonly required: boolean,
  ) {
    super('profile_required');
  }
}

interface Profile {
  first: string;
  last: string;
  memberTypeId: number | null;
}

/**
 * The names (and member type, where the site has types) a new person is asked for; throws
 * ProfileRequired while one is missing, unless the visitor skips them and the page allows that.
 */
async function requireProfile(
  trx: DbOrTrx,
  community: CommunityRow,
  given: LandingProfile,
  person?: PersonRow,
): Promise<Profile> {
  const required = community.landing_profile_required === 1;
  const types = await listMemberTypes(trx);
  const first = given.firstName?.trim() || person?.first_name || '';
  const last = given.lastName?.trim() || person?.last_name || '';
  const needsType = types.length > 0 && (person?.member_type_id ?? null) === null;
  const missing: LandingProfileNeeded['fields'] = [
    ...(first ? [] : (['firstName'] as const)),
    ...(last ? [] : (['lastName'] as const)),
    ...(needsType && !given.memberType?.trim() ? (['memberType'] as const) : []),
  ];
  if (missing.length > 0 && (required || given.skipProfile !== true))
    throw new ProfileRequired(
      missing,
      types.map((t) => t.name),
      required,
    );
  let memberTypeId = person?.member_type_id ?? null;
  if (needsType && given.memberType?.trim()) {
    const type = await findMemberTypeByName(trx, given.memberType ?? '');
    if (!type) throw new AppError('unknown_member_type', undefined, { memberTypes: types.map((t) => t.name) });
    memberTypeId = type.id;
  }
  return { first, last, memberTypeId };
}

export type Visit =
  { ok: true; result: LandingResult; signedIn: SignedIn | null } | { ok: false; error: ErrorCode; message?: string };

/**
 * What a verified address means on this page; runs in the verification's transaction. The proof
 * removes single sign-on links made under the address while it was unproved (as sign-in's does).
 */
async function applyVerifiedEmail(
  ctx: AppContext,
  trx: DbOrTrx,
  community: CommunityRow,
  email: string,
  given: LandingProfile,
  how: 'code' | 'link',
  userAgent?: string,
): Promise<Visit> {
  const person = await findPersonByEmail(trx, email);
  if (person) {
    await dropUnverifiedSsoLinks(ctx, trx, person, how === 'code' ? 'email_code' : 'email_link');
    const required = await ssoRequiredFor(trx, person);
    if (required) return { ok: false, error: 'sso_required', message: ssoRequiredMessage(required) };
  }
  return applyLandingIdentity(ctx, trx, community, { person, email }, given, userAgent);
}

/**
 * What a verified identity means on this page: `person` is who the verification found (by email,
 * or by single sign-on's link, Unique ID or trusted email), `email` the address a new person gets.
 * Runs in the verification's transaction; throws ProfileRequired (see below) while names are missing.
 */
export async function applyLandingIdentity(
  ctx: AppContext,
  trx: DbOrTrx,
  community: CommunityRow,
  found: { person: PersonRow | undefined; email: string },
  given: LandingProfile,
  userAgent?: string,
  onCreated?: (person: PersonRow) => Promise<void>,
): Promise<Visit> {
  const now = ctx.clock.now();
  const email = found.email;
  const base = { communityId: community.id, communityName: community.name };
  let person = found.person;
  let created = false;
  if (!person) {
    // Closed sign-up binds every page, whatever its policy; thrown so that nothing is written.
    if (!(await isSignUpOpen(trx))) throw new AppError('sign_up_closed');
    const profile = await requireProfile(trx, community, given);
    const admitted = policyAdmits(community, email);
    person = await insertPerson(trx, {
      email,
      first_name: profile.first,
      last_name: profile.last,
      member_type_id: profile.memberTypeId,
      status: admitted ? 'active' : 'pending',
      is_admin: 0,
      unique_id: null,
      preverification_id: null,
      invite_token_hash: null,
      created_at: now,
      updated_at: now,
      activated_at: admitted ? now : null,
      last_sign_in_at: null,
    });
    created = true;
    await onCreated?.(person);
    await bumpLandingStat(trx, community.id, 'people_created', now);
    if (!admitted) {
      await rememberLandingJoin(ctx, trx, community.id, person.id);
      return { ok: true, signedIn: null, result: { ...base, outcome: 'pending_approval', signedIn: false, created } };
    }
  }
  switch (person.status) {
    case 'pending':
      return { ok: false, error: 'account_pending' };
    case 'inactive':
      return { ok: false, error: 'account_inactive' };
    case 'pre_verified':
    case 'invited': {
      // Invited addresses may have no name yet: ask for it before they become members.
      if (!person.first_name || !person.last_name) {
        const profile = await requireProfile(trx, community, given, person);
        await updatePerson(trx, person.id, {
          first_name: profile.first,
          last_name: profile.last,
          member_type_id: profile.memberTypeId,
          updated_at: now,
        });
      }
      person = await activatePerson(trx, person.id, now);
      break;
    }
    case 'active':
      break;
  }
  const joined = await joinFromLanding(ctx, trx, community.id, person.id);
  const signedIn = await startSession(ctx, trx, person, userAgent);
  return { ok: true, signedIn, result: { ...base, outcome: joined, signedIn: true, created } };
}

export interface LandingVisit {
  readonly result: LandingResult;
  /** set when the visitor is now signed in: the route sets the session cookie */
  readonly signedIn: SignedIn | null;
}

async function completeLandingVisit(
  ctx: AppContext,
  slug: string,
  how: 'code' | 'link',
  verify: (trx: DbOrTrx) => Promise<Verification>,
  given: LandingProfile,
  userAgent?: string,
): Promise<LandingVisit | LandingProfileNeeded> {
  const community = await getLandingCommunity(ctx, slug);
  let visit: Visit;
  try {
    visit = await ctx.db.transaction().execute(async (trx): Promise<Visit> => {
      const verification = await verify(trx);
      // A wrong try is returned, not thrown, so that its count commits.
      if (!verification.ok) return verification;
      await bumpLandingStat(trx, community.id, 'verified', ctx.clock.now());
      return applyVerifiedEmail(ctx, trx, community, verification.email, given, how, userAgent);
    });
  } catch (error) {
    // Rolled back: the code or link was not used up, so the visitor can retry with the fields.
    // An answer, not an error: asking a new person's name is the normal path.
    if (error instanceof ProfileRequired) {
      return { next: 'profile', fields: error.fields, memberTypes: error.memberTypes, required: error.required };
    }
    throw error;
  }
  if (!visit.ok) {
    ctx.log.info(
      { event: 'landing.refused', how, reason: visit.error, communityId: community.id },
      'landing visit refused',
    );
    throw new AppError(visit.error, visit.message);
  }
  ctx.log.info(
    {
      event: 'landing.verified',
      how,
      outcome: visit.result.outcome,
      communityId: community.id,
      personId: visit.signedIn?.person.id,
    },
    'landing visit',
  );
  return visit;
}

/**
 * `POST /api/landing/:slug/verify`: the code from the email, plus names when the page asked for them
 * (`{ next: 'profile' }` asks for them; the code stays usable).
 */
export function verifyLandingCode(
  ctx: AppContext,
  slug: string,
  input: { email: string; code: string; attemptToken: string | undefined } & LandingProfile,
  userAgent?: string,
): Promise<LandingVisit | LandingProfileNeeded> {
  ctx.log.debug({ email: maskEmail(input.email) }, 'landing code entered');
  return completeLandingVisit(ctx, slug, 'code', (trx) => verifySignInCode(ctx, trx, input), input, userAgent);
}

/** `POST /api/landing/:slug/link`: the emailed link's token (the page's Continue button posts it). */
export function followLandingLink(
  ctx: AppContext,
  slug: string,
  input: { token: string; attemptToken: string | undefined } & LandingProfile,
  userAgent?: string,
): Promise<LandingVisit | LandingProfileNeeded> {
  return completeLandingVisit(ctx, slug, 'link', (trx) => verifySignInLink(ctx, trx, input), input, userAgent);
}

/**
 * `POST /api/landing/:slug/join`: a visitor who is already signed in joins without a new code
 * (their session is the verification). The same joining rules as after a code.
 */
export async function joinLandingSignedIn(ctx: AppContext, slug: string, person: PersonRow): Promise<LandingResult> {
  const community = await getLandingCommunity(ctx, slug);
  const joined = await ctx.db.transaction().execute((trx) => joinFromLanding(ctx, trx, community.id, person.id));
  return { outcome: joined, signedIn: true, communityId: community.id, communityName: community.name, created: false };
}
