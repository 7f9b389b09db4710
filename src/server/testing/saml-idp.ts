/**
 * A SAML 2.0 identity provider for tests, built with samlify: it publishes its metadata (with a
 * key and certificate made at start), reads an AuthnRequest from the HTTP-Redirect binding and
 * answers with a signed response — or, for the refusal tests, a response that is wrong in one
 * chosen way. It listens on a loopback port; in a browser its sign-in page is a form the test
 * clicks, which POSTs the response to the service provider's ACS as a real IdP does.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as samlify from 'samlify';
import { type SelfSignedCert, selfSignedCert } from './self-signed-cert.js';

// samlify checks messages against the SAML schema only through a validator it is given; this test
// peer reads only the requests Convene makes, so it skips that check.
samlify.setSchemaValidator({ validate: async () => 'skipped' });

/** Attribute names as InCommon/eduPerson IdPs release them. */
export const samlAttributes = {
  eduPersonPrincipalName: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
  mail: 'urn:oid:0.9.2342.19200300.100.1.3',
  givenName: 'urn:oid:2.5.4.42',
  sn: 'urn:oid:2.5.4.4',
} as const;

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const ASSERTION = "/*[local-name(.)='Response']/*[local-name(.)='Assertion']";

/** The person the IdP signs in. A null value leaves that attribute out. */
export interface SamlTestUser {
  readonly eppn: string | null;
  readonly mail?: string | null;
  readonly givenName?: string | null;
  readonly sn?: string | null;
}

/** How the response differs from a good one; every field left out is as a correct IdP makes it. */
export interface SamlResponseOptions {
  readonly audience?: string;
  /** the signed SubjectConfirmationData Recipient */
  readonly recipient?: string;
  /** the Response's Destination */
  readonly destination?: string;
  /** the InResponseTo of the response and the subject confirmation */
  readonly inResponseTo?: string;
  readonly issuer?: string;
  readonly assertionId?: string;
  /** when the IdP issues it (default: the IdP's clock) */
  readonly issuedAt?: number;
  /** how long it stays valid (default 5 minutes) */
  readonly lifetimeMs?: number;
  /** what carries a signature: the assertion (default), the response only, both, or nothing */
  readonly sign?: 'assertion' | 'response' | 'both' | 'none';
  /** signed with a key that is not in the metadata */
  readonly foreignKey?: boolean;
  /** changed after signing (the mail attribute is rewritten) */
  readonly tamper?: boolean;
}

export interface SamlTestRequest {
  readonly id: string;
  readonly relayState: string;
  readonly acsUrl: string;
  readonly spEntityId: string;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function attribute(name: string, value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return (
    `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">` +
    `<saml:AttributeValue xsi:type="xs:string">${escapeXml(value)}</saml:AttributeValue></saml:Attribute>`
  );
}

export class TestSamlIdp {
  readonly entityId: string;
  readonly metadataUrl: string;
  readonly ssoUrl: string;
  readonly metadataXml: string;
  /** who the browser sign-in page signs in, and how the response is made */
  nextUser: SamlTestUser = { eppn: 'someone@idp.test' };
  nextOptions: SamlResponseOptions = {};
  /** the requests the IdP's sign-in page received, newest last */
  readonly requests: SamlTestRequest[] = [];

  private readonly idp: samlify.IdentityProviderInstance;
  private readonly foreign: SelfSignedCert;

  private constructor(
    private readonly server: http.Server,
    base: string,
    pageBase: string,
    private readonly cert: SelfSignedCert,
    private readonly clock: () => number,
  ) {
    this.entityId = `${base}/idp`;
    this.metadataUrl = `${base}/metadata`;
    this.ssoUrl = `${pageBase}/sso`;
    this.idp = samlify.IdentityProvider({
      entityID: this.entityId,
      signingCert: cert.certPem,
      privateKey: cert.privateKeyPem,
      wantAuthnRequestsSigned: false,
      singleSignOnService: [
        { Binding: REDIRECT, Location: this.ssoUrl },
        { Binding: POST, Location: this.ssoUrl },
      ],
    });
    this.metadataXml = this.idp.getMetadata();
    this.foreign = selfSignedCert('Someone else', clock());
  }

  /**
   * Starts the IdP on a loopback port; `clock` is its idea of the time (the tests' manual clock).
   * `pageHost` names the host of its sign-in page: `localhost` makes the page another site than a
   * Convene at 127.0.0.1 in a browser, as a real IdP is.
   */
  static async start(clock: () => number, options: { pageHost?: string } = {}): Promise<TestSamlIdp> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const idp = new TestSamlIdp(
      server,
      `http://127.0.0.1:${port}`,
      `http://${options.pageHost ?? '127.0.0.1'}:${port}`,
      selfSignedCert('Test SAML IdP', clock()),
      clock,
    );
    server.on('request', (req, res) => {
      idp.handle(req, res).catch((error: unknown) => {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
      });
    });
    return idp;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Reads the AuthnRequest in a redirect URL made by the service provider (HTTP-Redirect binding). */
  async readRequest(redirectUrl: string): Promise<SamlTestRequest> {
    const url = new URL(redirectUrl);
    const query = Object.fromEntries(url.searchParams);
    // samlify parses (inflates) the request; the request itself names the SP and its ACS.
    const unknownSp = samlify.ServiceProvider({ entityID: 'unknown', authnRequestsSigned: false });
    const { extract } = (await this.idp.parseLoginRequest(unknownSp, 'redirect', { query })) as unknown as {
      extract: { request: { id: string; assertionConsumerServiceUrl?: string }; issuer: string };
    };
    const acsUrl = extract.request.assertionConsumerServiceUrl;
    if (!acsUrl) throw new Error('the AuthnRequest names no AssertionConsumerServiceURL');
    return { id: extract.request.id, relayState: query.RelayState ?? '', acsUrl, spEntityId: extract.issuer };
  }

  /** A base64 SAMLResponse answering `request` for `user`, made as `options` say. */
  respond(request: SamlTestRequest, user: SamlTestUser, options: SamlResponseOptions = {}): string {
    const issuedAt = options.issuedAt ?? this.clock();
    const iso = (ms: number) => new Date(ms).toISOString();
    const until = iso(issuedAt + (options.lifetimeMs ?? 5 * 60 * 1000));
    const inResponseTo = escapeXml(options.inResponseTo ?? request.id);
    const issuer = escapeXml(options.issuer ?? this.entityId);
    const attributes =
      attribute(samlAttributes.eduPersonPrincipalName, user.eppn) +
      attribute(samlAttributes.mail, user.mail) +
      attribute(samlAttributes.givenName, user.givenName) +
      attribute(samlAttributes.sn, user.sn);
    let xml =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
      ` ID="_${crypto.randomBytes(16).toString('hex')}" Version="2.0" IssueInstant="${iso(issuedAt)}"` +
      ` Destination="${escapeXml(options.destination ?? request.acsUrl)}" InResponseTo="${inResponseTo}">` +
      `<saml:Issuer>${issuer}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      `<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema"` +
      ` ID="${escapeXml(options.assertionId ?? `_${crypto.randomBytes(16).toString('hex')}`)}" Version="2.0" IssueInstant="${iso(issuedAt)}">` +
      `<saml:Issuer>${issuer}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">_${crypto.randomBytes(8).toString('hex')}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}"` +
      ` Recipient="${escapeXml(options.recipient ?? request.acsUrl)}" InResponseTo="${inResponseTo}"/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${iso(issuedAt)}" NotOnOrAfter="${until}"><saml:AudienceRestriction>` +
      `<saml:Audience>${escapeXml(options.audience ?? request.spEntityId)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${iso(issuedAt)}" SessionIndex="_${crypto.randomBytes(8).toString('hex')}"><saml:AuthnContext>` +
      `<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>` +
      `</saml:AuthnContext></saml:AuthnStatement>` +
      `<saml:AttributeStatement>${attributes}</saml:AttributeStatement></saml:Assertion></samlp:Response>`;
    const key = options.foreignKey ? this.foreign : this.cert;
    const signing = { privateKey: key.privateKeyPem, signingCert: key.certBase64, signatureAlgorithm: RSA_SHA256 };
    const sign = options.sign ?? 'assertion';
    if (sign === 'assertion' || sign === 'both') {
      xml = samlify.SamlLib.constructSAMLSignature({
        ...signing,
        rawSamlMessage: xml,
        referenceTagXPath: ASSERTION,
        isBase64Output: false,
        signatureConfig: {
          prefix: 'ds',
          location: { reference: `${ASSERTION}/*[local-name(.)='Issuer']`, action: 'after' },
        },
      });
    }
    if (sign === 'response' || sign === 'both') {
      xml = samlify.SamlLib.constructSAMLSignature({
        ...signing,
        rawSamlMessage: xml,
        isMessageSigned: true,
        isBase64Output: false,
        signatureConfig: {
          prefix: 'ds',
          location: { reference: "/*[local-name(.)='Response']/*[local-name(.)='Issuer']", action: 'after' },
        },
      });
    }
    if (options.tamper) {
      const before = xml;
      xml = xml.replace(
        /(<saml:Attribute Name="urn:oid:0\.9\.2342\.19200300\.100\.1\.3"[^>]*><saml:AttributeValue[^>]*>)[^<]*/,
        '$1admin@convene.test',
      );
      if (xml === before) throw new Error('tamper needs a mail attribute to rewrite');
    }
    return Buffer.from(xml, 'utf8').toString('base64');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.metadataUrl);
    if (req.method === 'GET' && url.pathname === '/metadata') {
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(this.metadataXml);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/sso') {
      const request = await this.readRequest(url.href);
      this.requests.push(request);
      const response = this.respond(request, this.nextUser, this.nextOptions);
      const who = escapeXml(this.nextUser.eppn ?? 'someone');
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test IdP sign-in</title>` +
            `<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"></head>` +
            `<body style="font-family: sans-serif; max-width: 28rem; margin: 4rem auto; padding: 0 1rem">` +
            `<h1>Northfield University sign-in</h1><p>Signed in at the identity provider as <strong>${who}</strong>.</p>` +
            `<form method="post" action="${escapeXml(request.acsUrl)}">` +
            `<input type="hidden" name="SAMLResponse" value="${response}">` +
            `<input type="hidden" name="RelayState" value="${escapeXml(request.relayState)}">` +
            `<button type="submit">Continue to the service</button></form></body></html>`,
        );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}
