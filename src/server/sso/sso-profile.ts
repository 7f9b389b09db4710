/** What an identity provider asserted about the person, after every protocol check passed. */
export interface SsoProfile {
  /** The provider's stable id of the person: the OIDC claim or SAML attribute the admin chose. */
  uniqueId: string;
  email: string | null;
  /** The provider says it verified the email; whether Convene trusts that is the provider's `trustEmail`. */
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
}
