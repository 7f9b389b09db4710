/**
 * SAML 2.0 for single sign-on, built on @node-saml/node-saml: the AuthnRequest redirect, the
 * response check and the SP metadata Convene publishes. The sign-in core (providers, routes, the
 * pending login and the session) calls these functions; they know nothing of people or sessions.
 *
 * A response is accepted only when all of these hold: the assertion carries a valid signature by a
 * certificate from the IdP's metadata (a signed response around an unsigned assertion is refused),
 * its issuer is the IdP's entity ID, its audience is Convene's SP entity ID, its recipient and the
 * response's destination are the ACS URL, it answers the request this browser started, it is inside
 * its time window (with a small clock skew, at the caller's `now`), and its ID was never accepted
 * before from this IdP.
 */
import crypto from 'node:crypto';
import { type CacheProvider, type Profile, SAML, type SamlConfig, ValidateInResponseTo } from '@node-saml/node-saml';
import { parseDomFromString, xpath } from '@node-saml/node-saml/lib/xml.js';
import type { ErrorCode } from '../../../shared/errors.js';
import { normalizeEmail } from '../../auth/email-address.js';
import type { AppContext } from '../../context.js';
import type { DbOrTrx } from '../../db/db.js';
import { AppError } from '../../errors.js';
import type { SsoProfile } from '../sso-profile.js';
import { fetchIdpMetadata, parseIdpMetadata } from './idp-metadata.js';
import { deleteExpiredSamlAssertions, recordSamlAssertionOnce } from './saml-assertion.repository.js';

export { METADATA_FETCH_TIMEOUT_MS, METADATA_MAX_BYTES } from './idp-metadata.js';

export interface SamlSettings {
  /** the provider's id, as in `/api/sso/:id` */
  providerId: string;
  /** the site's public URL, without a trailing slash */
  publicUrl: string;
  /** the IdP's metadata as stored by loadIdpMetadata */
  metadataXml: string;
  /** the attribute carrying the Unique ID, e.g. `urn:oid:1.3.6.1.4.1.5923.1.1.1.6`; `NameID` takes the subject's NameID */
  uniqueIdAttribute: string;
  emailAttribute: string;
  firstNameAttribute: string | null;
  lastNameAttribute: string | null;
}

/** How far the IdP's clock may be off from ours, both ways. */
export const SAML_CLOCK_SKEW_MS = 3 * 60 * 1000;
/** How long an accepted assertion ID is kept when the assertion names no end of its validity. */
const DEFAULT_ASSERTION_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** `PUBLIC_URL/api/sso/:id/metadata`: the SP entity ID, which is also where the SP metadata is. */
export function samlSpEntityId(settings: Pick<SamlSettings, 'providerId' | 'publicUrl'>): string {
  return `${settings.publicUrl.replace(/\/+$/, '')}/api/sso/${encodeURIComponent(settings.providerId)}/metadata`;
}

/** `PUBLIC_URL/api/sso/:id/acs`: the assertion consumer service (HTTP-POST binding). */
export function samlAcsUrl(settings: Pick<SamlSettings, 'providerId' | 'publicUrl'>): string {
  return `${settings.publicUrl.replace(/\/+$/, '')}/api/sso/${encodeURIComponent(settings.providerId)}/acs`;
}

/**
 * Reads IdP metadata from an upload or a URL (fetched with a time and size limit) and checks it
 * has what sign-in needs. AppError saml_metadata_invalid | saml_metadata_unreachable.
 */
export async function loadIdpMetadata(input: {
  metadataXml?: string;
  metadataUrl?: string;
  /** chooses the IdP in a federation's aggregate metadata */
  entityId?: string;
}): Promise<{ metadataXml: string; entityId: string; ssoUrl: string }> {
  const xml =
    input.metadataXml ?? (input.metadataUrl !== undefined ? await fetchIdpMetadata(input.metadataUrl) : undefined);
  if (xml === undefined) throw new AppError('saml_metadata_invalid', 'Give the IdP metadata as XML or as a URL.');
  const metadata = await parseIdpMetadata(xml, input.entityId);
  return { metadataXml: metadata.metadataXml, entityId: metadata.entityId, ssoUrl: metadata.ssoUrl };
}

/** A cache that answers for one request ID only: the one the pending login in this browser holds. */
function oneRequestCache(requestId: string | null): CacheProvider {
  return {
    saveAsync: async (key, value) => ({ value, createdAt: 0 }),
    // node-saml measures the request's age with the system clock; the age limit is the pending
    // login's expiry, which the caller checked, so the cache reports no age of its own.
    getAsync: async (key) => (requestId !== null && key === requestId ? new Date(8.64e15).toISOString() : null),
    removeAsync: async () => null,
  };
}

/** node-saml with the time windows checked at the caller's clock instead of the system's. */
class ClockedSaml extends SAML {
  constructor(
    config: SamlConfig,
    private readonly nowMs: number,
  ) {
    super(config);
  }

  protected override checkTimestampsValidityError(
    _systemNow: number,
    notBefore: string,
    notOnOrAfter: string,
    maxTimeLimitMs?: number,
  ): Error | null {
    return super.checkTimestampsValidityError(this.nowMs, notBefore, notOnOrAfter, maxTimeLimitMs);
  }
}

async function samlFor(
  settings: SamlSettings,
  options: { requestId: string | null; nowMs: number },
): Promise<{ saml: SAML; entityId: string }> {
  const idp = await parseIdpMetadata(settings.metadataXml);
  const config: SamlConfig = {
    issuer: samlSpEntityId(settings),
    audience: samlSpEntityId(settings),
    callbackUrl: samlAcsUrl(settings),
    entryPoint: idp.ssoUrl,
    idpCert: [...idp.certificates],
    idpIssuer: idp.entityId,
    wantAssertionsSigned: true,
    // Many IdPs sign only the assertion; the assertion's signature is what is required.
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    validateInResponseTo: ValidateInResponseTo.always,
    // The IdP chooses the NameID format; the Unique ID comes from the attribute the admin chose.
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    signatureAlgorithm: 'sha256',
    generateUniqueId: () => options.requestId ?? `_${crypto.randomBytes(20).toString('hex')}`,
    cacheProvider: oneRequestCache(options.requestId),
  };
  return { saml: new ClockedSaml(config, options.nowMs), entityId: idp.entityId };
}

/** The IdP's sign-in URL carrying a fresh AuthnRequest (HTTP-Redirect binding) and the relay state. */
export async function samlStart(
  settings: SamlSettings,
  relayState: string,
): Promise<{ redirectUrl: string; requestId: string }> {
  const requestId = `_${crypto.randomBytes(20).toString('hex')}`;
  // The AuthnRequest's IssueInstant is informational; no check here reads a clock.
  const { saml } = await samlFor(settings, { requestId, nowMs: 0 });
  const redirectUrl = await saml.getAuthorizeUrlAsync(relayState, undefined, {});
  return { redirectUrl, requestId };
}

/** node-saml's refusals, by their messages, as the catalogue's codes. */
function codeOfSamlError(message: string): ErrorCode {
  if (/signature/i.test(message)) return 'saml_signature_invalid';
  if (/InResponseTo/i.test(message)) return 'saml_in_response_to_mismatch';
  if (/audience/i.test(message)) return 'saml_audience_mismatch';
  if (/expired|not yet valid|No valid subject confirmation/i.test(message)) return 'saml_response_expired';
  if (/SAML provider returned/i.test(message)) return 'saml_idp_refused';
  return 'saml_response_invalid';
}

type XmlJs = Record<string, unknown> & { $?: Record<string, string>; _?: string };

function children(node: XmlJs | undefined, name: string): XmlJs[] {
  const value = node?.[name];
  return Array.isArray(value) ? (value as XmlJs[]) : [];
}

/** The first text value of a SAML attribute as node-saml mapped it (a string, or a list of them). */
function attributeText(profile: Profile, name: string | null): string | null {
  if (!name) return null;
  if (name === 'NameID') return profile.nameID?.trim() || null;
  const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
  const raw = attributes[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (typeof first === 'string') return first.trim() || null;
  if (first && typeof first === 'object' && typeof (first as XmlJs)._ === 'string') {
    return ((first as XmlJs)._ as string).trim() || null;
  }
  return null;
}

/** Refuses, before any check, what is not a base64 SAML protocol Response at all. */
async function requireSamlResponse(samlResponse: string): Promise<void> {
  const notSaml = (reason: string) => new AppError('saml_response_invalid', undefined, { reason });
  if (!/^[A-Za-z0-9+/=\s]+$/.test(samlResponse)) throw notSaml('SAMLResponse is not base64');
  let doc: Document;
  try {
    doc = await parseDomFromString(Buffer.from(samlResponse, 'base64').toString('utf8'));
  } catch {
    throw notSaml('SAMLResponse is not XML');
  }
  const root = doc.documentElement;
  if (root?.localName !== 'Response' || root.namespaceURI !== 'urn:oasis:names:tc:SAML:2.0:protocol') {
    throw notSaml('SAMLResponse is not a SAML 2.0 Response');
  }
}

/**
 * Checks a SAML response posted to the ACS and returns what it asserts about the person. Records
 * the assertion ID (on `db`, which may be the caller's transaction) as the last step, so a refused
 * response leaves nothing behind. AppError saml_* codes.
 */
export async function samlFinish(
  db: DbOrTrx,
  now: Date,
  settings: SamlSettings,
  input: { samlResponse: string; expectedRequestId: string },
): Promise<SsoProfile> {
  const nowMs = now.getTime();
  const { saml, entityId } = await samlFor(settings, { requestId: input.expectedRequestId, nowMs });
  await requireSamlResponse(input.samlResponse);
  let profile: Profile | null;
  try {
    ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: input.samlResponse }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError(codeOfSamlError(message), undefined, { reason: message });
  }
  if (!profile) throw new AppError('saml_response_invalid', undefined, { reason: 'no assertion' });

  if (profile.issuer !== entityId) {
    throw new AppError('saml_issuer_mismatch', undefined, { expected: entityId, received: profile.issuer ?? null });
  }
  const acs = samlAcsUrl(settings);
  // The response's Destination (outside the signed assertion) must name us when it is there ...
  const responseDoc = await parseDomFromString(profile.getSamlResponseXml?.() ?? '');
  const destination = xpath.selectAttributes(responseDoc, "/*[local-name()='Response']/@Destination")[0]?.nodeValue;
  if (destination && destination !== acs) {
    throw new AppError('saml_recipient_mismatch', undefined, { expected: acs, received: destination });
  }
  // ... and the signed assertion's bearer confirmation must be for our ACS.
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlJs } | undefined)?.Assertion;
  if (!assertion) throw new AppError('saml_response_invalid', undefined, { reason: 'no assertion' });
  const confirmations = children(children(assertion, 'Subject')[0], 'SubjectConfirmation')
    .filter((c) => c.$?.Method === 'urn:oasis:names:tc:SAML:2.0:cm:bearer')
    .flatMap((c) => children(c, 'SubjectConfirmationData'));
  const recipients = confirmations.map((d) => d.$?.Recipient ?? null);
  if (!recipients.includes(acs)) {
    throw new AppError('saml_recipient_mismatch', undefined, { expected: acs, received: recipients });
  }

  const uniqueId = attributeText(profile, settings.uniqueIdAttribute);
  if (!uniqueId) throw new AppError('saml_unique_id_missing', undefined, { attribute: settings.uniqueIdAttribute });
  const rawEmail = attributeText(profile, settings.emailAttribute);
  const email = rawEmail ? (normalizeEmail(rawEmail) ?? null) : null;

  const assertionId = assertion.$?.ID;
  if (!assertionId) throw new AppError('saml_response_invalid', undefined, { reason: 'the assertion has no ID' });
  const ends = [children(assertion, 'Conditions')[0]?.$?.NotOnOrAfter, ...confirmations.map((d) => d.$?.NotOnOrAfter)]
    .filter((v): v is string => typeof v === 'string')
    .map((v) => Date.parse(v))
    .filter((v) => Number.isFinite(v));
  const expiresAt = (ends.length > 0 ? Math.max(...ends) : nowMs + DEFAULT_ASSERTION_LIFETIME_MS) + SAML_CLOCK_SKEW_MS;
  const fresh = await recordSamlAssertionOnce(db, {
    providerId: settings.providerId,
    assertionId,
    usedAt: nowMs,
    expiresAt,
  });
  if (!fresh) throw new AppError('saml_assertion_replayed', undefined, { assertionId });

  return {
    uniqueId,
    email,
    // SAML has no "verified" flag: an IdP that releases a mail attribute vouches for it. Whether
    // Convene matches people by it is the provider's trustEmail setting.
    emailVerified: email !== null,
    firstName: attributeText(profile, settings.firstNameAttribute),
    lastName: attributeText(profile, settings.lastNameAttribute),
  };
}

/** The SP metadata Convene publishes at the SP entity ID, for the IdP's admin. */
export function samlSpMetadata(settings: SamlSettings): string {
  return new SAML({
    issuer: samlSpEntityId(settings),
    callbackUrl: samlAcsUrl(settings),
    idpCert: 'unused',
    wantAssertionsSigned: true,
    identifierFormat: null,
  }).generateServiceProviderMetadata(null, null);
}

/** The SAML part of the hourly `maintenance.cleanup`: assertion IDs past their expiry. */
export async function purgeExpiredSamlAssertions(ctx: AppContext): Promise<{ samlAssertions: number }> {
  return { samlAssertions: await deleteExpiredSamlAssertions(ctx.db, ctx.clock.now()) };
}
