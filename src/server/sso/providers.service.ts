/**
 * Identity providers as site settings: create, change, delete, list; what the IdP's admin needs
 * (redirect URI, SP metadata, ACS). The OIDC client secret is sealed under the site secret and
 * never answered.
 */
import type {
  IdentityProvider,
  IdentityProviderBody,
  IdentityProviderPatch,
  PublicIdentityProvider,
} from '../../shared/sso.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import { seal, unseal } from '../crypto.js';
import type { DbOrTrx } from '../db/db.js';
import type { IdentityProviderRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { Caller } from '../http/caller.js';
import { type OidcSettings, issuerAllowed } from './oidc.js';
import { type SamlConfig, loadSamlConfig, samlSettingsOf } from './saml-adapter.js';
import {
  deleteIdentityProvider,
  findIdentityProvider,
  insertIdentityProvider,
  listEnabledIdentityProviders,
  listIdentityProviders,
  updateIdentityProvider,
} from './sso.repository.js';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  scopes: string;
  uniqueIdClaim: string;
}

const SECRET_PURPOSE = 'oidc_client_secret';

export const ssoUrls = (publicUrl: string, id: number) => ({
  redirectUri: `${publicUrl}/api/sso/${id}/callback`,
  spMetadataUrl: `${publicUrl}/api/sso/${id}/metadata`,
  spEntityId: `${publicUrl}/api/sso/${id}/metadata`,
  acsUrl: `${publicUrl}/api/sso/${id}/acs`,
});

export function oidcConfigOf(row: IdentityProviderRow): OidcConfig {
  return JSON.parse(row.config) as OidcConfig;
}

export function samlConfigOf(row: IdentityProviderRow): SamlConfig {
  return JSON.parse(row.config) as SamlConfig;
}

export function requiredMemberTypesOf(row: IdentityProviderRow): string[] {
  try {
    const list: unknown = JSON.parse(row.required_member_types);
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The settings openid-client needs, with the secret unsealed. */
export function oidcSettingsOf(ctx: AppContext, row: IdentityProviderRow): OidcSettings {
  const c = oidcConfigOf(row);
  if (row.client_secret_enc === null) throw new AppError('sso_config_invalid');
  return {
    providerId: row.id,
    version: row.updated_at,
    issuer: c.issuer,
    clientId: c.clientId,
    clientSecret: unseal(ctx.config.secret, SECRET_PURPOSE, row.client_secret_enc),
    scopes: c.scopes,
    uniqueIdClaim: c.uniqueIdClaim,
  };
}

export function toIdentityProvider(ctx: AppContext, row: IdentityProviderRow): IdentityProvider {
  const urls = ssoUrls(ctx.config.publicUrl, row.id);
  const base = {
    id: row.id,
    kind: row.kind,
    name: row.name,
    buttonLabel: row.button_label,
    enabled: row.enabled === 1,
    trustEmail: row.trust_email === 1,
    requiredForMemberTypes: requiredMemberTypesOf(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.kind === 'oidc') {
    const c = oidcConfigOf(row);
    return {
      ...base,
      oidc: {
        issuer: c.issuer,
        clientId: c.clientId,
        clientSecretSet: row.client_secret_enc !== null,
        scopes: c.scopes,
        uniqueIdClaim: c.uniqueIdClaim,
        redirectUri: urls.redirectUri,
      },
      saml: null,
    };
  }
  const c = samlConfigOf(row);
  return {
    ...base,
    oidc: null,
    saml: {
      metadataUrl: c.metadataUrl,
      entityId: c.entityId,
      ssoUrl: c.ssoUrl,
      uniqueIdAttribute: c.uniqueIdAttribute,
      emailAttribute: c.emailAttribute,
      firstNameAttribute: c.firstNameAttribute,
      lastNameAttribute: c.lastNameAttribute,
      spMetadataUrl: urls.spMetadataUrl,
      spEntityId: urls.spEntityId,
      acsUrl: urls.acsUrl,
    },
  };
}

export function toPublicProvider(row: IdentityProviderRow): PublicIdentityProvider {
  return { id: row.id, name: row.name, buttonLabel: row.button_label };
}

export async function listProviders(ctx: AppContext): Promise<IdentityProvider[]> {
  return (await listIdentityProviders(ctx.db)).map((row) => toIdentityProvider(ctx, row));
}

export async function listPublicProviders(db: DbOrTrx): Promise<PublicIdentityProvider[]> {
  return (await listEnabledIdentityProviders(db)).map(toPublicProvider);
}

function checkIssuer(issuer: string): void {
  if (!issuerAllowed(issuer)) throw new AppError('sso_insecure_issuer');
}

const cleanTypes = (list: readonly string[] | undefined) => [...new Set((list ?? []).map((t) => t.trim()))];

export async function createProvider(
  ctx: AppContext,
  caller: Caller,
  body: IdentityProviderBody,
): Promise<IdentityProvider> {
  const now = ctx.clock.now();
  let config: OidcConfig | SamlConfig;
  let secret: string | null = null;
  if (body.kind === 'oidc') {
    checkIssuer(body.issuer);
    config = {
      issuer: body.issuer.replace(/\/+$/, ''),
      clientId: body.clientId,
      scopes: body.scopes ?? 'openid email profile',
      uniqueIdClaim: body.uniqueIdClaim,
    };
    secret = seal(ctx.config.secret, SECRET_PURPOSE, body.clientSecret);
  } else {
    // Outside the transaction: it may fetch the metadata URL.
    config = await loadSamlConfig(body);
  }
  const row = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await insertIdentityProvider(trx, {
      kind: body.kind,
      name: body.name,
      button_label: body.buttonLabel ?? `Sign in with ${body.name}`,
      enabled: body.enabled === false ? 0 : 1,
      trust_email: body.trustEmail ? 1 : 0,
      config: JSON.stringify(config),
      client_secret_enc: secret,
      required_member_types: JSON.stringify(cleanTypes(body.requiredForMemberTypes)),
      created_at: now,
      updated_at: now,
    });
    await recordAudit(
      trx,
      {
        actorId: caller.person.id,
        action: 'identity_provider.create',
        targetType: 'identity_provider',
        targetId: inserted.id,
        details: { kind: body.kind, name: body.name, trustEmail: body.trustEmail },
      },
      now,
    );
    return inserted;
  });
  return toIdentityProvider(ctx, row);
}

export async function updateProvider(
  ctx: AppContext,
  caller: Caller,
  id: number,
  patch: IdentityProviderPatch,
): Promise<IdentityProvider> {
  const row = await findIdentityProvider(ctx.db, id);
  if (!row) throw new AppError('sso_provider_unknown');
  const now = Math.max(ctx.clock.now(), row.updated_at + 1);
  let config: OidcConfig | SamlConfig;
  let secret = row.client_secret_enc;
  const oidcKeys = ['issuer', 'clientId', 'clientSecret', 'scopes', 'uniqueIdClaim'] as const;
  const samlKeys = [
    'metadataXml',
    'metadataUrl',
    'entityId',
    'uniqueIdAttribute',
    'emailAttribute',
    'firstNameAttribute',
    'lastNameAttribute',
  ] as const;
  const foreign = (row.kind === 'oidc' ? samlKeys : oidcKeys).filter((k) => patch[k] !== undefined);
  if (foreign.length > 0)
    throw new AppError(
      'sso_config_invalid',
      `Not settings of a ${row.kind.toUpperCase()} provider: ${foreign.join(', ')}.`,
    );
  if (row.kind === 'oidc') {
    const c = oidcConfigOf(row);
    if (patch.issuer !== undefined) checkIssuer(patch.issuer);
    config = {
      issuer: patch.issuer?.replace(/\/+$/, '') ?? c.issuer,
      clientId: patch.clientId ?? c.clientId,
      scopes: patch.scopes ?? c.scopes,
      uniqueIdClaim: patch.uniqueIdClaim ?? c.uniqueIdClaim,
    };
    if (patch.clientSecret !== undefined) secret = seal(ctx.config.secret, SECRET_PURPOSE, patch.clientSecret);
  } else {
    const c = samlConfigOf(row);
    const metadataChanged = patch.metadataXml !== undefined || patch.metadataUrl !== undefined;
    const merged = {
      metadataXml: patch.metadataXml,
      metadataUrl: patch.metadataUrl,
      uniqueIdAttribute: patch.uniqueIdAttribute ?? c.uniqueIdAttribute,
      emailAttribute: patch.emailAttribute ?? c.emailAttribute,
      firstNameAttribute: patch.firstNameAttribute !== undefined ? patch.firstNameAttribute : c.firstNameAttribute,
      lastNameAttribute: patch.lastNameAttribute !== undefined ? patch.lastNameAttribute : c.lastNameAttribute,
    };
    if (metadataChanged) {
      config = await loadSamlConfig({ ...merged, entityId: patch.entityId });
    } else if (patch.entityId !== undefined) {
      // Another IdP of the federation: read the aggregate again from its URL (an upload kept only
      // the chosen IdP, so it must be uploaded again).
      config = await loadSamlConfig(
        c.metadataUrl
          ? { ...merged, metadataUrl: c.metadataUrl, entityId: patch.entityId }
          : { ...merged, metadataXml: c.metadataXml, entityId: patch.entityId },
      );
    } else {
      config = { ...c, ...merged, metadataXml: c.metadataXml, metadataUrl: c.metadataUrl };
    }
  }
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const changed = await updateIdentityProvider(trx, id, {
      name: patch.name ?? row.name,
      button_label:
        patch.buttonLabel ??
        (patch.name && row.button_label === `Sign in with ${row.name}`
          ? `Sign in with ${patch.name}`
          : row.button_label),
      enabled: patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0,
      trust_email: patch.trustEmail === undefined ? row.trust_email : patch.trustEmail ? 1 : 0,
      config: JSON.stringify(config),
      client_secret_enc: secret,
      ...(patch.requiredForMemberTypes
        ? { required_member_types: JSON.stringify(cleanTypes(patch.requiredForMemberTypes)) }
        : {}),
      updated_at: now,
    });
    if (!changed) throw new AppError('sso_provider_unknown');
    const { clientSecret, metadataXml, ...shown } = patch;
    await recordAudit(
      trx,
      {
        actorId: caller.person.id,
        action: 'identity_provider.update',
        targetType: 'identity_provider',
        targetId: id,
        details: {
          ...shown,
          ...(clientSecret !== undefined ? { clientSecret: 'changed' } : {}),
          ...(metadataXml !== undefined ? { metadataXml: 'changed' } : {}),
        },
      },
      now,
    );
    return changed;
  });
  return toIdentityProvider(ctx, updated);
}

export async function removeProvider(ctx: AppContext, caller: Caller, id: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findIdentityProvider(trx, id);
    if (!row || !(await deleteIdentityProvider(trx, id))) throw new AppError('sso_provider_unknown');
    await recordAudit(
      trx,
      {
        actorId: caller.person.id,
        action: 'identity_provider.delete',
        targetType: 'identity_provider',
        targetId: id,
        details: { name: row.name, kind: row.kind },
      },
      ctx.clock.now(),
    );
  });
}

export { samlSettingsOf };
