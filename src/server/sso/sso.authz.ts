/** Matrix rows for single sign-on: provider settings are the admins'; the sign-in routes are anyone's; links are one's own. */
import { type AuthzRow, expectations } from '../testing/authz.js';
import type { AuthzWorld } from '../testing/authz.js';
import { insertIdentityProvider } from './sso.repository.js';

async function freshProvider(w: AuthzWorld): Promise<number> {
  const now = w.ctx.clock.now();
  const row = await insertIdentityProvider(w.ctx.db, {
    kind: 'oidc',
    name: 'Authz IdP',
    button_label: 'Sign in with Authz IdP',
    enabled: 1,
    trust_email: 0,
    config: JSON.stringify({
      issuer: 'https://idp.example.test',
      clientId: 'c',
      scopes: 'openid',
      uniqueIdClaim: 'sub',
    }),
    client_secret_enc: null,
    created_at: now,
    updated_at: now,
  });
  return row.id;
}

export const authzRows: AuthzRow[] = [
  { route: 'GET /api/admin/identity-providers', expect: expectations.adminOnly() },
  {
    route: 'POST /api/admin/identity-providers',
    expect: expectations.adminOnly(201),
    request: () => ({
      url: '/api/admin/identity-providers',
      body: {
        kind: 'oidc',
        name: 'Authz',
        issuer: 'https://idp.example.test',
        clientId: 'convene',
        clientSecret: 'secret',
        uniqueIdClaim: 'sub',
        trustEmail: false,
      },
    }),
  },
  {
    route: 'PATCH /api/admin/identity-providers/:id',
    expect: expectations.adminOnly(),
    request: async (w) => ({
      url: `/api/admin/identity-providers/${await freshProvider(w)}`,
      body: { name: 'Renamed' },
    }),
  },
  {
    route: 'DELETE /api/admin/identity-providers/:id',
    expect: expectations.adminOnly(),
    request: async (w) => ({ url: `/api/admin/identity-providers/${await freshProvider(w)}` }),
    note: 'a fresh provider for each caller',
  },
  {
    route: 'GET /api/sso/:id/start',
    expect: expectations.open(302),
    request: () => ({ url: '/api/sso/999999/start' }),
    note: 'a top-level navigation: an unknown provider also goes (302) to the error page',
  },
  {
    route: 'GET /api/sso/:id/callback',
    expect: expectations.open(302),
    request: () => ({ url: '/api/sso/999999/callback?state=x&code=y' }),
    note: 'the provider sends the browser back here; refusals go (302) to the error page',
  },
  { route: 'GET /api/me/sso', expect: expectations.signedIn() },
  {
    route: 'DELETE /api/me/sso/:id',
    expect: expectations.signedIn(404),
    request: () => ({ url: '/api/me/sso/999999' }),
    note: 'one’s own links only: no link at that provider is 404',
  },
];
