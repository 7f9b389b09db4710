/**
 * The core's side of the SAML seam: the stored configuration of a SAML provider and the settings
 * the protocol functions of `./saml/` take.
 */
import type { AppContext } from '../context.js';
import type { IdentityProviderRow } from '../db/schema.js';
import { AppError } from '../errors.js';

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
  uniqueIdAttribute: string;
  emailAttribute: string;
  firstNameAttribute?: string | null | undefined;
  lastNameAttribute?: string | null | undefined;
}

/** Reads the IdP's metadata (given or fetched) and keeps what the sign-in needs. */
export async function loadSamlConfig(input: SamlConfigInput): Promise<SamlConfig> {
  void input;
  throw new AppError('sso_config_invalid', 'This build has no SAML support yet.');
}

export function samlSettingsOf(): never {
  throw new AppError('sso_config_invalid', 'This build has no SAML support yet.');
}

/** Starts a SAML sign-in: the IdP's URL (an AuthnRequest, RelayState = the login's state) and the request's id. */
export async function samlSsoStart(
  ctx: AppContext,
  provider: IdentityProviderRow,
  relayState: string,
): Promise<{ redirectUrl: string; requestId: string }> {
  void ctx;
  void provider;
  void relayState;
  throw new AppError('sso_config_invalid', 'This build has no SAML support yet.');
}
