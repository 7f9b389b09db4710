/**
 * The core's side of the SAML seam: the stored configuration of a SAML provider and the settings
 * the protocol functions of `./saml/` take.
 */
import type { AppContext } from '../context.js';
import type { IdentityProviderRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { loadIdpMetadata, samlStart, type SamlSettings } from './saml/index.js';

export interface SamlConfig {
  metadataXml: string;
  metadataUrl: string | null;
  entityId: string;
  ssoUrl: string;
  uniqueIdAttribute: string;
  emailAttribute: string;
  firstNameAttribute: string | null;
  lastNameAttribute: string | null;
}

export interface SamlConfigInput {
  metadataXml?: string | undefined;
  metadataUrl?: string | undefined;
  /** chooses the IdP in a federation's aggregate metadata */
  entityId?: string | undefined;
  uniqueIdAttribute: string;
  emailAttribute: string;
  firstNameAttribute?: string | null | undefined;
  lastNameAttribute?: string | null | undefined;
}

/** Reads the IdP's metadata (given or fetched) and keeps what the sign-in needs. */
export async function loadSamlConfig(input: SamlConfigInput): Promise<SamlConfig> {
  const idp = await loadIdpMetadata({
    ...(input.metadataXml !== undefined
      ? { metadataXml: input.metadataXml }
      : { metadataUrl: input.metadataUrl ?? '' }),
    ...(input.entityId !== undefined ? { entityId: input.entityId } : {}),
  });
  return {
    metadataXml: idp.metadataXml,
    metadataUrl: input.metadataXml !== undefined ? null : (input.metadataUrl ?? null),
    entityId: idp.entityId,
    ssoUrl: idp.ssoUrl,
    uniqueIdAttribute: input.uniqueIdAttribute,
    emailAttribute: input.emailAttribute,
    firstNameAttribute: input.firstNameAttribute ?? null,
    lastNameAttribute: input.lastNameAttribute ?? null,
  };
}

/** The protocol settings of a stored SAML provider. */
export function samlSettingsOf(ctx: AppContext, provider: IdentityProviderRow): SamlSettings {
  if (provider.kind !== 'saml') throw new AppError('sso_state_mismatch');
  const config = JSON.parse(provider.config) as SamlConfig;
  return {
    providerId: String(provider.id),
    publicUrl: ctx.config.publicUrl,
    metadataXml: config.metadataXml,
    uniqueIdAttribute: config.uniqueIdAttribute,
    emailAttribute: config.emailAttribute,
    firstNameAttribute: config.firstNameAttribute,
    lastNameAttribute: config.lastNameAttribute,
  };
}

/** Starts a SAML sign-in: the IdP's URL (an AuthnRequest, RelayState = the login's state) and the request's id. */
export async function samlSsoStart(
  ctx: AppContext,
  provider: IdentityProviderRow,
  relayState: string,
): Promise<{ redirectUrl: string; requestId: string }> {
  return samlStart(samlSettingsOf(ctx, provider), relayState);
}
