/**
 * The Edit form of an identity provider: the draft from the provider as the API sends it, the
 * PATCH body with only what changed (the client secret and the metadata XML are write-only: blank
 * keeps them), and the API's refusals as a message per field.
 */
import type { IdentityProvider, IdentityProviderPatch } from '../../shared/sso';

export interface ProviderDraft {
  name: string;
  buttonLabel: string;
  trustEmail: boolean;
  /** comma-separated member type names */
  requiredFor: string;
  issuer: string;
  clientId: string;
  /** blank keeps the stored secret */
  clientSecret: string;
  scopes: string;
  uniqueIdClaim: string;
  metadataUrl: string;
  /** blank keeps the stored metadata */
  metadataXml: string;
  entityId: string;
  uniqueIdAttribute: string;
  emailAttribute: string;
  firstNameAttribute: string;
  lastNameAttribute: string;
}

export type ProviderField = keyof ProviderDraft;
export type ProviderFieldErrors = Partial<Record<ProviderField, string>>;

/** The fields in the order the form shows them: focus goes to the first one with an error. */
export const fieldOrder: readonly ProviderField[] = [
  'name',
  'buttonLabel',
  'issuer',
  'clientId',
  'clientSecret',
  'scopes',
  'uniqueIdClaim',
  'metadataUrl',
  'metadataXml',
  'entityId',
  'uniqueIdAttribute',
  'emailAttribute',
  'firstNameAttribute',
  'lastNameAttribute',
  'requiredFor',
  'trustEmail',
];

export function draftOf(p: IdentityProvider): ProviderDraft {
  return {
    name: p.name,
    buttonLabel: p.buttonLabel,
    trustEmail: p.trustEmail,
    requiredFor: p.requiredForMemberTypes.join(', '),
    issuer: p.oidc?.issuer ?? '',
    clientId: p.oidc?.clientId ?? '',
    clientSecret: '',
    scopes: p.oidc?.scopes ?? '',
    uniqueIdClaim: p.oidc?.uniqueIdClaim ?? '',
    metadataUrl: p.saml?.metadataUrl ?? '',
    metadataXml: '',
    entityId: p.saml?.entityId ?? '',
    uniqueIdAttribute: p.saml?.uniqueIdAttribute ?? '',
    emailAttribute: p.saml?.emailAttribute ?? '',
    firstNameAttribute: p.saml?.firstNameAttribute ?? '',
    lastNameAttribute: p.saml?.lastNameAttribute ?? '',
  };
}

const typesOf = (list: string) =>
  list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The PATCH body: only the fields that differ from the provider, so an untouched form changes
 * nothing (and a metadata URL left as it is is not fetched again). Text goes as typed: the API
 * trims and checks it.
 */
export function patchOf(p: IdentityProvider, d: ProviderDraft): IdentityProviderPatch {
  const before = draftOf(p);
  const changed = (k: ProviderField) => d[k] !== before[k];
  const patch: IdentityProviderPatch = {};
  if (changed('name')) patch.name = d.name;
  if (changed('buttonLabel')) patch.buttonLabel = d.buttonLabel;
  if (changed('trustEmail')) patch.trustEmail = d.trustEmail;
  if (typesOf(d.requiredFor).join('\n') !== p.requiredForMemberTypes.join('\n'))
    patch.requiredForMemberTypes = typesOf(d.requiredFor);
  if (p.kind === 'oidc') {
    if (changed('issuer')) patch.issuer = d.issuer;
    if (changed('clientId')) patch.clientId = d.clientId;
    if (d.clientSecret !== '') patch.clientSecret = d.clientSecret;
    if (changed('scopes')) patch.scopes = d.scopes;
    if (changed('uniqueIdClaim')) patch.uniqueIdClaim = d.uniqueIdClaim;
    return patch;
  }
  // New metadata: the XML when given, else a changed URL; either is read and checked again.
  if (d.metadataXml.trim() !== '') patch.metadataXml = d.metadataXml;
  else if (changed('metadataUrl')) patch.metadataUrl = d.metadataUrl;
  if (changed('entityId')) patch.entityId = d.entityId;
  if (changed('uniqueIdAttribute')) patch.uniqueIdAttribute = d.uniqueIdAttribute;
  if (changed('emailAttribute')) patch.emailAttribute = d.emailAttribute;
  if (changed('firstNameAttribute')) patch.firstNameAttribute = d.firstNameAttribute.trim() || null;
  if (changed('lastNameAttribute')) patch.lastNameAttribute = d.lastNameAttribute.trim() || null;
  return patch;
}

/** The API's field names that are not the form's. */
const apiFields: Record<string, ProviderField> = { requiredForMemberTypes: 'requiredFor' };

/** Refusals of a whole setting, by code: which field they belong to. */
function fieldOfCode(code: string, patch: IdentityProviderPatch): ProviderField | undefined {
  switch (code) {
    case 'sso_insecure_issuer':
    case 'sso_issuer_unreachable':
      return 'issuer';
    case 'saml_metadata_unreachable':
      return 'metadataUrl';
    case 'saml_metadata_invalid':
      if (patch.metadataXml !== undefined) return 'metadataXml';
      if (patch.metadataUrl !== undefined) return 'metadataUrl';
      return patch.entityId !== undefined ? 'entityId' : undefined;
    default:
      return undefined;
  }
}

/**
 * The API's refusal as messages per field: `validation_failed` names each field in `details`
 * (`[{ path, message }]`); a refused issuer or metadata names its field by its code.
 */
export function fieldErrorsOf(
  error: { code: string; message: string; details?: unknown },
  patch: IdentityProviderPatch,
): ProviderFieldErrors {
  const errors: ProviderFieldErrors = {};
  if (error.code === 'validation_failed' && Array.isArray(error.details)) {
    for (const item of error.details as { path?: unknown; message?: unknown }[]) {
      if (typeof item?.path !== 'string' || typeof item.message !== 'string') continue;
      const [top] = item.path.split('.');
      const field = apiFields[top ?? ''] ?? (top as ProviderField);
      if (!fieldOrder.includes(field) || errors[field]) continue;
      errors[field] = item.message;
    }
    return errors;
  }
  const field = fieldOfCode(error.code, patch);
  if (field) errors[field] = error.message;
  return errors;
}

/** The first field with an error, in the form's order. */
export function firstErrorField(errors: ProviderFieldErrors): ProviderField | undefined {
  return fieldOrder.find((f) => errors[f] !== undefined);
}
