/**
 * The SAML assertion consumer service. The IdP's page posts the response across sites, so the
 * browser's SameSite=Lax SSO cookie does not come along: the ACS checks the response, stores the
 * outcome (the profile, or the refusal) on the pending login its RelayState names, and sends the
 * browser on to `/api/sso/:id/complete`, a same-site GET where the cookie is checked and the
 * sign-in finished by the core (finishSso).
 */
import type { ErrorCode } from '../../shared/errors.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { samlSettingsOf } from './saml-adapter.js';
import { samlFinish } from './saml/index.js';
import { enabledProvider, errorRedirect, pendingLoginFor, type SsoAnswer } from './sso.service.js';
import { findSsoLogin, setSsoLoginOutcome } from './sso.repository.js';
import type { SsoLoginRow } from '../db/schema.js';

/** Where the browser goes after the ACS: `complete` for this login, or the error page. */
export async function acceptSamlResponse(
  ctx: AppContext,
  providerId: number,
  input: { samlResponse: string; relayState: string | undefined },
): Promise<string> {
  const login = input.relayState ? await findSsoLogin(ctx.db, input.relayState) : undefined;
  if (!login || login.provider_id !== providerId || login.saml_request_id === null) {
    return errorRedirect(undefined, 'sso_state_mismatch');
  }
  if (login.used_at !== null || ctx.clock.now() >= login.expires_at) return errorRedirect(login, 'sso_login_expired');
  const expectedRequestId = login.saml_request_id;
  let provider;
  try {
    provider = await enabledProvider(ctx, providerId);
  } catch (error) {
    return errorRedirect(login, codeOf(error));
  }
  const settings = samlSettingsOf(ctx, provider);
  // The assertion ID is recorded and the outcome stored together: a second post of a response
  // finds its assertion used (saml_assertion_replayed) and changes nothing.
  const stored = await ctx.db
    .transaction()
    .execute(async (trx) => {
      let answer: SsoAnswer;
      try {
        const profile = await samlFinish(trx, new Date(ctx.clock.now()), settings, {
          samlResponse: input.samlResponse,
          expectedRequestId,
        });
        answer = { profile };
      } catch (error) {
        answer = { error: { code: codeOf(error) } };
      }
      const saved = await setSsoLoginOutcome(trx, login.id, JSON.stringify(answer));
      if (!saved) throw new OutcomeTaken(answer.error?.code ?? 'sso_login_expired');
      return answer;
    })
    .catch((error: unknown) => {
      if (error instanceof OutcomeTaken) return error;
      throw error;
    });
  if (stored instanceof OutcomeTaken) {
    ctx.log.info({ event: 'sso.refused', providerId, reason: stored.reason }, 'SAML response refused');
    return errorRedirect(login, stored.reason);
  }
  if (stored.error) {
    ctx.log.info({ event: 'sso.saml_refused', providerId, reason: stored.error.code }, 'SAML response refused');
  }
  return `/api/sso/${providerId}/complete?login=${encodeURIComponent(login.id)}`;
}

/** `GET /api/sso/:id/complete`: the login this browser started, with the ACS's outcome on it. */
export async function completedSamlLogin(
  ctx: AppContext,
  providerId: number,
  loginId: string | undefined,
  browserToken: string | undefined,
): Promise<{ login: SsoLoginRow; answer: SsoAnswer }> {
  const login = await pendingLoginFor(ctx, providerId, loginId, browserToken);
  if (login.outcome === null) throw new AppError('sso_state_mismatch');
  return { login, answer: JSON.parse(login.outcome) as SsoAnswer };
}

/** The login already has an outcome (or was used): the transaction is rolled back. */
class OutcomeTaken extends Error {
  constructor(readonly reason: ErrorCode) {
    super(reason);
  }
}

function codeOf(error: unknown): ErrorCode {
  if (error instanceof AppError) return error.code;
  throw error;
}
