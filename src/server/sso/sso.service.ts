/**
 * Signing in through an identity provider, whatever the protocol: the pending login bound to the
 * browser, then what a checked SsoProfile means — link, sign in, sign up, a landing page's join,
 * or linking a signed-in person's account. Sessions are email sign-in's (startSession).
 */
import type { ErrorCode } from '../../shared/errors.js';
import { type SignedIn, startSession } from '../auth/sign-in.service.js';
import { activatePerson, insertPendingPerson, isSignUpOpen } from '../auth/sign-in.repository.js';
import type { AppContext } from '../context.js';
import { hmac, randomToken, safeEqual } from '../crypto.js';
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow, IdentityProviderRow, PersonRow, SsoLoginRow } from '../db/schema.js';
import { findCommunityById } from '../communities/community.repository.js';
import { AppError } from '../errors.js';
import { applyLandingIdentity, ProfileRequired } from '../landing/landing-flow.service.js';
import { getLandingCommunity } from '../landing/landing-page.service.js';
import { findPersonByEmail, findPersonById, findPersonByUniqueId, updatePerson } from '../people/person.repository.js';
import { oidcFinish, oidcStart } from './oidc.js';
import { oidcSettingsOf, ssoUrls } from './providers.service.js';
import type { SsoProfile } from './sso-profile.js';
import {
  findIdentityProvider,
  findSsoLink,
  findSsoLinkOfPerson,
  findSsoLogin,
  insertSsoLink,
  insertSsoLogin,
  listSsoLinksOfPerson,
  markSsoLoginUsed,
  touchSsoLink,
} from './sso.repository.js';
import { samlSsoStart } from './saml-adapter.js';
import { dropUnverifiedSsoLinks } from './unverified-links.js';

/** A pending login lives this long: enough to sign in at the provider, not to keep a stale one. */
export const SSO_LOGIN_TTL_MS = 10 * 60 * 1000;

export function browserHashOf(ctx: AppContext, browserToken: string): string {
  return hmac(ctx.config.secret, 'sso_browser', browserToken);
}

/** A path on this site, or `/`: never another origin (`//evil`, `https://…`, `/\\evil`). */
export function safeNext(next: string | undefined | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  return next;
}

export async function enabledProvider(ctx: AppContext, id: number): Promise<IdentityProviderRow> {
  const provider = await findIdentityProvider(ctx.db, id);
  if (!provider) throw new AppError('sso_provider_unknown');
  if (provider.enabled !== 1) throw new AppError('sso_provider_disabled');
  return provider;
}

export interface SsoStartInput {
  readonly next?: string | undefined;
  readonly landing?: string | undefined;
  readonly intent?: 'sign_in' | 'link' | undefined;
  /** the signed-in person, for linking */
  readonly personId: number | null;
  /** the browser's SSO cookie token */
  readonly browserToken: string;
}

/** `GET /api/sso/:id/start`: writes the pending login and answers the provider's URL. */
export async function startSso(ctx: AppContext, providerId: number, input: SsoStartInput): Promise<string> {
  const provider = await enabledProvider(ctx, providerId);
  if (input.intent === 'link' && input.personId === null) throw new AppError('unauthenticated');
  const community = input.landing ? await getLandingCommunity(ctx, input.landing) : undefined;
  const now = ctx.clock.now();
  const state = randomToken(16);
  const row = {
    id: state,
    provider_id: provider.id,
    browser_hash: browserHashOf(ctx, input.browserToken),
    code_verifier: null as string | null,
    nonce: null as string | null,
    saml_request_id: null as string | null,
    next: safeNext(input.next),
    community_id: community?.id ?? null,
    link_person_id: input.intent === 'link' ? input.personId : null,
    outcome: null,
    created_at: now,
    expires_at: now + SSO_LOGIN_TTL_MS,
    used_at: null,
  };
  let url: string;
  if (provider.kind === 'oidc') {
    const started = await oidcStart(
      oidcSettingsOf(ctx, provider),
      ssoUrls(ctx.config.publicUrl, provider.id).redirectUri,
      state,
    );
    row.code_verifier = started.codeVerifier;
    row.nonce = started.nonce;
    url = started.url;
  } else {
    const started = await samlSsoStart(ctx, provider, state);
    row.saml_request_id = started.requestId;
    url = started.redirectUrl;
  }
  await insertSsoLogin(ctx.db, row);
  ctx.log.info({ event: 'sso.started', providerId: provider.id, kind: provider.kind }, 'single sign-on started');
  return url;
}

/**
 * The pending login a provider's answer names (`state` / RelayState), checked against this
 * browser's cookie: no cookie → sso_other_browser; a login of another browser, or none →
 * sso_state_mismatch; used or past its time → sso_login_expired.
 */
export async function pendingLoginFor(
  ctx: AppContext,
  providerId: number,
  state: string | undefined,
  browserToken: string | undefined,
): Promise<SsoLoginRow> {
  if (browserToken === undefined) throw new AppError('sso_other_browser');
  const login = state ? await findSsoLogin(ctx.db, state) : undefined;
  if (!login || login.provider_id !== providerId || !safeEqual(login.browser_hash, browserHashOf(ctx, browserToken)))
    throw new AppError('sso_state_mismatch');
  if (login.used_at !== null || ctx.clock.now() >= login.expires_at) throw new AppError('sso_login_expired');
  return login;
}

/** The OIDC callback: the code is redeemed with the login's verifier, state and nonce. */
export async function profileFromOidcCallback(
  ctx: AppContext,
  login: SsoLoginRow,
  callbackUrl: URL,
): Promise<SsoProfile> {
  const provider = await enabledProvider(ctx, login.provider_id);
  if (provider.kind !== 'oidc' || !login.code_verifier || !login.nonce) throw new AppError('sso_state_mismatch');
  return oidcFinish(ctx, oidcSettingsOf(ctx, provider), callbackUrl, {
    state: login.id,
    codeVerifier: login.code_verifier,
    nonce: login.nonce,
  });
}

export interface SsoFinished {
  /** where the browser goes now */
  readonly redirect: string;
  /** set when the visitor is now signed in: the route sets the session cookie */
  readonly signedIn: SignedIn | null;
}

type Result = { ok: true; finished: SsoFinished } | { ok: false; error: ErrorCode; message?: string };

/** Names the IdP sent fill only the fields the person has left empty. */
async function fillEmptyNames(
  ctx: AppContext,
  trx: DbOrTrx,
  person: PersonRow,
  profile: SsoProfile,
): Promise<PersonRow> {
  const first = person.first_name || profile.firstName || '';
  const last = person.last_name || profile.lastName || '';
  if (first === person.first_name && last === person.last_name) return person;
  await updatePerson(trx, person.id, { first_name: first, last_name: last, updated_at: ctx.clock.now() });
  return { ...person, first_name: first, last_name: last };
}

/** Whether the provider's word proves the address: trusted for email, and the address marked verified. */
function emailProved(provider: IdentityProviderRow, profile: SsoProfile): boolean {
  return provider.trust_email === 1 && !!profile.email && profile.emailVerified;
}

/**
 * Who the profile is: the provider's link first; then a person whose Unique ID (from
 * pre-verification) equals it and who has no account of this provider yet; then, only for a
 * provider trusted for email, a person with the verified address.
 */
async function matchPerson(
  trx: DbOrTrx,
  provider: IdentityProviderRow,
  profile: SsoProfile,
): Promise<{ person: PersonRow; linked: boolean; byEmail: boolean } | undefined> {
  const link = await findSsoLink(trx, provider.id, profile.uniqueId);
  if (link) {
    const person = await findPersonById(trx, link.person_id);
    if (person) return { person, linked: true, byEmail: false };
  }
  const byUniqueId = await findPersonByUniqueId(trx, profile.uniqueId);
  if (byUniqueId && !(await findSsoLinkOfPerson(trx, provider.id, byUniqueId.id)))
    return { person: byUniqueId, linked: false, byEmail: false };
  if (emailProved(provider, profile) && profile.email) {
    const byEmail = await findPersonByEmail(trx, profile.email);
    if (byEmail) return { person: byEmail, linked: false, byEmail: true };
  }
  return undefined;
}

/**
 * Links the provider's account to the person. `unproved`: the person's address is not proved —
 * created just now under the address this provider asserted without proving it, or linking from
 * a profile that has such a link — so the link is marked, and the first proof of the address
 * removes it (unverified-links.ts).
 */
async function link(
  ctx: AppContext,
  trx: DbOrTrx,
  provider: IdentityProviderRow,
  person: PersonRow,
  profile: SsoProfile,
  unproved = false,
) {
  await insertSsoLink(trx, {
    provider_id: provider.id,
    unique_id: profile.uniqueId,
    person_id: person.id,
    email: profile.email,
    created_at: ctx.clock.now(),
    email_unverified: unproved ? 1 : 0,
  });
}

async function linkAccount(
  ctx: AppContext,
  trx: DbOrTrx,
  provider: IdentityProviderRow,
  login: SsoLoginRow,
  profile: SsoProfile,
  callerId: number | null,
): Promise<Result> {
  if (login.link_person_id === null || callerId !== login.link_person_id)
    return { ok: false, error: 'sso_other_browser' };
  const person = await findPersonById(trx, login.link_person_id);
  if (!person) return { ok: false, error: 'sso_other_browser' };
  const existing = await findSsoLink(trx, provider.id, profile.uniqueId);
  if (existing && existing.person_id !== person.id) return { ok: false, error: 'sso_already_linked' };
  if (!existing) {
    if (await findSsoLinkOfPerson(trx, provider.id, person.id)) return { ok: false, error: 'sso_link_exists' };
    // Whoever holds an account whose address is unproved cannot add a way in that outlives the proof.
    const unproved = (await listSsoLinksOfPerson(trx, person.id, { unverifiedOnly: true })).length > 0;
    await link(ctx, trx, provider, person, profile, unproved);
  }
  await fillEmptyNames(ctx, trx, person, profile);
  return { ok: true, finished: { redirect: `/profile?sso=linked`, signedIn: null } };
}

async function signInProfile(
  ctx: AppContext,
  trx: DbOrTrx,
  provider: IdentityProviderRow,
  login: SsoLoginRow,
  profile: SsoProfile,
  userAgent: string | undefined,
): Promise<Result> {
  const now = ctx.clock.now();
  const matched = await matchPerson(trx, provider, profile);
  let person = matched?.person;
  // A provider trusted for email proved the address: links made under it unproved go, as after a code.
  if (matched?.byEmail) await dropUnverifiedSsoLinks(ctx, trx, matched.person, 'trusted_provider');
  if (matched && !matched.linked) await link(ctx, trx, provider, matched.person, profile);
  const unproved = !emailProved(provider, profile);
  if (matched?.linked) {
    const row = await findSsoLink(trx, provider.id, profile.uniqueId);
    if (row) await touchSsoLink(trx, row.id, now);
  }
  if (!person) {
    // A new person needs an address no one has: an untrusted provider's address never matches.
    if (!profile.email) return { ok: false, error: 'sso_email_missing' };
    if (await findPersonByEmail(trx, profile.email)) return { ok: false, error: 'sso_email_taken' };
  }

  if (login.community_id !== null) {
    const community = await landingCommunityById(trx, login.community_id);
    const visit = await applyLandingIdentity(
      ctx,
      trx,
      community,
      { person: person ? await fillEmptyNames(ctx, trx, person, profile) : undefined, email: profile.email ?? '' },
      { firstName: profile.firstName ?? undefined, lastName: profile.lastName ?? undefined, skipProfile: true },
      userAgent,
      (created) => link(ctx, trx, provider, created, profile, unproved),
    );
    if (!visit.ok) return visit;
    return {
      ok: true,
      finished: {
        redirect: `/join/${community.slug}?sso=${visit.result.outcome}&community=${community.id}`,
        signedIn: visit.signedIn,
      },
    };
  }

  if (!person) {
    if (!(await isSignUpOpen(trx))) return { ok: false, error: 'sign_up_closed' };
    // Email sign-up's rule: a new person waits for approval (a landing page's policy may admit).
    person = await insertPendingPerson(trx, profile.email ?? '', now);
    if (!person) throw new AppError('conflict');
    await link(ctx, trx, provider, person, profile, unproved);
  }
  person = await fillEmptyNames(ctx, trx, person, profile);
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
  const signedIn = await startSession(ctx, trx, person, userAgent);
  return { ok: true, finished: { redirect: safeNext(login.next), signedIn } };
}

async function landingCommunityById(trx: DbOrTrx, communityId: number): Promise<CommunityRow> {
  const community = await findCommunityById(trx, communityId);
  if (!community || community.landing_enabled !== 1) throw new AppError('landing_disabled');
  return community;
}

export interface SsoAnswer {
  readonly profile?: SsoProfile;
  /** the protocol's refusal, to show instead */
  readonly error?: { code: ErrorCode; message?: string };
}

/** Where a refusal is shown: the error page, with a way back to where the visitor started. */
export function errorRedirect(login: SsoLoginRow | undefined, code: ErrorCode, back?: string): string {
  const params = new URLSearchParams({ code });
  const to = back ?? (login?.link_person_id ? '/profile' : login?.next);
  if (to && to !== '/') params.set('back', safeNext(to));
  return `/sso/error?${params.toString()}`;
}

/**
 * Finishes a pending login with the protocol's answer, in one transaction: the login is used up,
 * then the account is linked, or the person signed in (or up, or joined on the landing page).
 * Refusals commit what email sign-in commits too (a new pending person) and answer the error page.
 */
export async function finishSso(
  ctx: AppContext,
  login: SsoLoginRow,
  answer: SsoAnswer,
  callerId: number | null,
  userAgent?: string,
): Promise<SsoFinished> {
  const provider = await enabledProvider(ctx, login.provider_id);
  let back: string | undefined;
  let result: Result;
  try {
    result = await ctx.db.transaction().execute(async (trx): Promise<Result> => {
      if (!(await markSsoLoginUsed(trx, login.id, ctx.clock.now()))) return { ok: false, error: 'sso_login_expired' };
      if (login.community_id !== null) back = `/join/${(await landingCommunityById(trx, login.community_id)).slug}`;
      if (answer.error) return { ok: false, error: answer.error.code, message: answer.error.message };
      if (!answer.profile) return { ok: false, error: 'sso_response_invalid' };
      if (login.link_person_id !== null) return linkAccount(ctx, trx, provider, login, answer.profile, callerId);
      return signInProfile(ctx, trx, provider, login, answer.profile, userAgent);
    });
  } catch (error) {
    if (!(error instanceof ProfileRequired)) throw error;
    // Rolled back: nothing was written, and the landing page's email code is the way on.
    await markSsoLoginUsed(ctx.db, login.id, ctx.clock.now());
    result = { ok: false, error: 'sso_profile_required' };
  }
  if (!result.ok) {
    ctx.log.info({ event: 'sso.refused', providerId: provider.id, reason: result.error }, 'single sign-on refused');
    return { redirect: errorRedirect(login, result.error, back), signedIn: null };
  }
  ctx.log.info(
    { event: 'sso.succeeded', providerId: provider.id, personId: result.finished.signedIn?.person.id },
    'single sign-on finished',
  );
  return result.finished;
}
