/** Matrix rows for the SAML routes: the IdP and the browser reach them signed in or not. */
import { type AuthzRow, expectations } from '../testing/authz.js';

export const samlAuthzRows: AuthzRow[] = [
  {
    route: 'POST /api/sso/:id/acs',
    expect: expectations.open(303),
    request: () => ({
      url: '/api/sso/999999/acs',
      body: { SAMLResponse: 'PHNhbWxwOlJlc3BvbnNlLz4=', RelayState: 'unknown' },
    }),
    note: 'the IdP posts it across sites: no CSRF check; an unknown login goes (303) to the error page',
  },
  {
    route: 'GET /api/sso/:id/complete',
    expect: expectations.open(302),
    request: () => ({ url: '/api/sso/999999/complete?login=unknown' }),
    note: 'the browser after the ACS; without its own pending login it goes (302) to the error page',
  },
  {
    route: 'GET /api/sso/:id/metadata',
    expect: expectations.open(404),
    request: () => ({ url: '/api/sso/999999/metadata' }),
    note: 'public for the IdP’s admin; an unknown provider is 404',
  },
];
