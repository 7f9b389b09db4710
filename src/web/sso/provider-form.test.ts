import { describe, expect, it } from 'vitest';
import type { IdentityProvider } from '../../shared/sso';
import { draftOf, fieldErrorsOf, firstErrorField, patchOf } from './provider-form';

const base = {
  id: 3,
  name: 'Northfield University',
  buttonLabel: 'Sign in with Northfield University',
  enabled: true,
  trustEmail: false,
  requiredForMemberTypes: ['Faculty/Staff'],
  createdAt: 1,
  updatedAt: 2,
};
const oidc: IdentityProvider = {
  ...base,
  kind: 'oidc',
  oidc: {
    issuer: 'https://login.northfield.edu',
    clientId: 'convene',
    clientSecretSet: true,
    scopes: 'openid email profile',
    uniqueIdClaim: 'sub',
    redirectUri: 'https://convene.northfield.edu/api/sso/3/callback',
  },
  saml: null,
};
const saml: IdentityProvider = {
  ...base,
  kind: 'saml',
  oidc: null,
  saml: {
    metadataUrl: 'https://idp.northfield.edu/metadata',
    entityId: 'https://idp.northfield.edu/idp',
    ssoUrl: 'https://idp.northfield.edu/sso',
    uniqueIdAttribute: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
    emailAttribute: 'urn:oid:0.9.2342.19200300.100.1.3',
    firstNameAttribute: 'urn:oid:2.5.4.42',
    lastNameAttribute: null,
    spMetadataUrl: 'https://convene.northfield.edu/api/sso/3/metadata',
    spEntityId: 'https://convene.northfield.edu/api/sso/3/metadata',
    acsUrl: 'https://convene.northfield.edu/api/sso/3/acs',
  },
};

describe('the identity provider Edit form', () => {
  it('sends nothing for an untouched form, of either kind (the secret and the metadata stay)', () => {
    expect(patchOf(oidc, draftOf(oidc))).toEqual({});
    expect(patchOf(saml, draftOf(saml))).toEqual({});
    expect(draftOf(oidc).clientSecret).toBe('');
  });

  it('sends only what changed; a typed secret replaces the stored one', () => {
    const draft = { ...draftOf(oidc), name: 'Northfield', clientSecret: 'n3w', trustEmail: true, requiredFor: '' };
    expect(patchOf(oidc, draft)).toEqual({
      name: 'Northfield',
      clientSecret: 'n3w',
      trustEmail: true,
      requiredForMemberTypes: [],
    });
    expect(patchOf(oidc, { ...draftOf(oidc), requiredFor: ' Faculty/Staff , ' })).toEqual({});
  });

  it('sends new SAML metadata as XML when given, else a changed URL; a cleared name attribute as null', () => {
    const xml = { ...draftOf(saml), metadataXml: '<EntityDescriptor/>', metadataUrl: 'https://other.edu/m' };
    expect(patchOf(saml, xml)).toEqual({ metadataXml: '<EntityDescriptor/>' });
    expect(patchOf(saml, { ...draftOf(saml), metadataUrl: 'https://other.edu/m' })).toEqual({
      metadataUrl: 'https://other.edu/m',
    });
    expect(patchOf(saml, { ...draftOf(saml), firstNameAttribute: ' ' })).toEqual({ firstNameAttribute: null });
  });

  it('puts the API’s refusals at their fields, in the form’s order', () => {
    const errors = fieldErrorsOf(
      {
        code: 'validation_failed',
        message: 'uniqueIdClaim: Enter the claim or attribute name.',
        details: [
          { path: 'uniqueIdClaim', message: 'Enter the claim or attribute name.' },
          { path: 'requiredForMemberTypes.0', message: 'A member type has at most 100 characters.' },
          { path: 'name', message: 'Enter a name.' },
        ],
      },
      {},
    );
    expect(errors).toEqual({
      uniqueIdClaim: 'Enter the claim or attribute name.',
      requiredFor: 'A member type has at most 100 characters.',
      name: 'Enter a name.',
    });
    expect(firstErrorField(errors)).toBe('name');
    expect(fieldErrorsOf({ code: 'sso_insecure_issuer', message: 'The issuer must use https' }, {})).toEqual({
      issuer: 'The issuer must use https',
    });
    expect(fieldErrorsOf({ code: 'saml_metadata_invalid', message: 'Not metadata' }, { metadataXml: '<x/>' })).toEqual({
      metadataXml: 'Not metadata',
    });
    expect(fieldErrorsOf({ code: 'sso_config_invalid', message: 'No' }, {})).toEqual({});
  });
});
