/**
 * OpenID Connect through `openid-client`: discovery, the authorization code flow with PKCE,
 * `state` and `nonce`, the ID token's checks, and the claims mapped to an SsoProfile. No token
 * or JWT handling of our own.
 */
import * as oidc from 'openid-client';
import type { ErrorCode } from '../../shared/errors.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { SsoProfile } from './sso-profile.js';

export interface OidcSettings {
  readonly providerId: number;
  /** the row's updated_at: a change of settings discovers again */
  readonly version: number;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: string;
  readonly uniqueIdClaim: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Plain http is allowed for a loopback issuer only (a test or a local provider). */
export function issuerAllowed(issuer: string): 'https' | 'loopback' | false {
  const url = new URL(issuer);
  if (url.protocol === 'https:') return 'https';
  return url.protocol === 'http:' && LOOPBACK.has(url.hostname) ? 'loopback' : false;
}

const cache = new Map<number, { version: number; config: Promise<oidc.Configuration> }>();

async function configurationOf(settings: OidcSettings): Promise<oidc.Configuration> {
  const cached = cache.get(settings.providerId);
  if (cached && cached.version === settings.version) return cached.config;
  const allowed = issuerAllowed(settings.issuer);
  if (!allowed) throw new AppError('sso_insecure_issuer');
  const config = oidc
    .discovery(new URL(settings.issuer), settings.clientId, undefined, oidc.ClientSecretBasic(settings.clientSecret), {
      execute: allowed === 'loopback' ? [oidc.allowInsecureRequests] : [],
      timeout: 10,
    })
    .catch((error: unknown) => {
      cache.delete(settings.providerId);
      throw new AppError('sso_issuer_unreachable', undefined, { reason: (error as Error).message });
    });
  cache.set(settings.providerId, { version: settings.version, config });
  return config;
}

export interface OidcStarted {
  readonly url: string;
  readonly codeVerifier: string;
  readonly nonce: string;
}

/** The provider's authorization URL for this sign-in (PKCE S256, state, nonce). */
export async function oidcStart(settings: OidcSettings, redirectUri: string, state: string): Promise<OidcStarted> {
  const config = await configurationOf(settings);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const scopes = new Set(['openid', ...settings.scopes.split(/\s+/).filter(Boolean)]);
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: [...scopes].join(' '),
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, codeVerifier, nonce };
}

function refusalOf(error: unknown): ErrorCode {
  if (error instanceof AppError) return error.code;
  if (error instanceof oidc.AuthorizationResponseError) return 'sso_provider_refused';
  // openid-client wraps oauth4webapi's error, whose message names the failed check
  const cause = error instanceof Error ? error.cause : undefined;
  const message = [error, cause].map((e) => (e instanceof Error ? e.message : '')).join(' ');
  if (/nonce/i.test(message)) return 'sso_nonce_mismatch';
  if (/"state"/.test(message)) return 'sso_state_mismatch';
  if (error instanceof TypeError || /fetch failed|ECONNREFUSED|timed? ?out/i.test(message))
    return 'sso_issuer_unreachable';
  return 'sso_response_invalid';
}

function text(value: unknown): string | null {
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * Redeems the code of the callback URL (PKCE verifier, expected state and nonce), checks the ID
 * token, reads the userinfo endpoint for the claims, and maps them. Throws AppError with a
 * specific code.
 */
export async function oidcFinish(
  ctx: AppContext,
  settings: OidcSettings,
  callbackUrl: URL,
  expected: { state: string; codeVerifier: string; nonce: string },
): Promise<SsoProfile> {
  try {
    const config = await configurationOf(settings);
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: expected.codeVerifier,
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) throw new AppError('sso_response_invalid');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    const claims: Record<string, unknown> = { ...info, ...idClaims };
    const uniqueId = text(claims[settings.uniqueIdClaim]);
    if (!uniqueId) throw new AppError('sso_unique_id_missing');
    const email = text(claims.email)?.toLowerCase() ?? null;
    return {
      uniqueId,
      email,
      emailVerified: email !== null && claims.email_verified === true,
      firstName: text(claims.given_name),
      lastName: text(claims.family_name),
    };
  } catch (error) {
    const code = refusalOf(error);
    ctx.log.info(
      { event: 'sso.oidc_refused', providerId: settings.providerId, code, reason: (error as Error).message },
      'OIDC answer refused',
    );
    throw error instanceof AppError ? error : new AppError(code);
  }
}
