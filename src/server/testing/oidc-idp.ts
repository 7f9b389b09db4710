/**
 * A real OpenID Connect provider for tests: `oidc-provider` on a loopback port, with one client
 * for Convene (PKCE required) and accounts the test defines. Its login step has no form: the test
 * says who signs in next (`idp.signInAs(...)`), and consent is given for the scopes asked.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type OidcCtx } from 'oidc-provider';

export interface IdpAccount {
  readonly sub: string;
  readonly email?: string;
  readonly email_verified?: boolean;
  readonly given_name?: string;
  readonly family_name?: string;
  readonly [claim: string]: unknown;
}

export interface TestOidcIdp {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** the account the next login at the provider signs in as */
  signInAs(account: IdpAccount): void;
  /** how many logins the provider completed */
  readonly logins: number;
  close(): Promise<void>;
}

/**
 * Starts the provider. `redirectUris` are Convene's callback URLs the client may use (each
 * provider id of the test site has its own).
 */
export async function startOidcIdp(redirectUris: readonly string[]): Promise<TestOidcIdp> {
  const accounts = new Map<string, IdpAccount>();
  let next: IdpAccount | undefined;
  let logins = 0;
  const clientId = 'convene-test';
  const clientSecret = 'convene-test-secret-0123456789abcdef';
  const { privateKey: signingKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [...redirectUris],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['given_name', 'family_name', 'name'],
      eppn: ['eppn'],
    },
    scopes: ['openid', 'email', 'profile', 'eppn'],
    cookies: { keys: ['test-idp-cookie-key-0123456789'] },
    jwks: { keys: [{ ...signingKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'test-idp' }] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      return account ? { accountId: id, claims: async () => ({ ...account }) } : undefined;
    },
    // Consent is given for what the client asked: no consent screen.
    loadExistingGrant: async (ctx: OidcCtx) => {
      const { client, session, params } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(params?.scope ?? 'openid');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      void (async () => {
        try {
          await provider.interactionDetails(req, res);
          const account = next;
          if (!account) {
            await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'no account' });
            return;
          }
          accounts.set(account.sub, account);
          logins++;
          await provider.interactionFinished(req, res, { login: { accountId: account.sub } });
        } catch (error) {
          res.statusCode = 500;
          res.end(String(error));
        }
      })();
      return;
    }
    callback(req, res);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs: (account) => {
      next = account;
    },
    get logins() {
      return logins;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
