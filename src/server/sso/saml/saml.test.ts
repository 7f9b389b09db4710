import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ErrorCode } from '../../../shared/errors.js';
import { AppError } from '../../errors.js';
import { samlAttributes, type SamlResponseOptions, type SamlTestUser, TestSamlIdp } from '../../testing/saml-idp.js';
import { describeEachDb } from '../../testing/test-db.js';
import {
  loadIdpMetadata,
  METADATA_MAX_BYTES,
  purgeExpiredSamlAssertions,
  SAML_CLOCK_SKEW_MS,
  samlAcsUrl,
  samlFinish,
  type SamlSettings,
  samlSpEntityId,
  samlSpMetadata,
  samlStart,
} from './index.js';

const MINUTE = 60 * 1000;
const ada: SamlTestUser = {
  eppn: 'ada@northfield.edu',
  mail: 'Ada.Lovelace@Northfield.edu',
  givenName: 'Ada',
  sn: 'Lovelace',
};

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'no error'> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describeEachDb('SAML 2.0 protocol', (t) => {
  let idp: TestSamlIdp;
  let settings: SamlSettings;

  beforeAll(async () => {
    idp = await TestSamlIdp.start(() => t().clock.now());
    const { metadataXml } = await loadIdpMetadata({ metadataUrl: idp.metadataUrl });
    settings = {
      providerId: `p${crypto.randomInt(1_000_000)}`,
      publicUrl: 'https://convene.example.org',
      metadataXml,
      uniqueIdAttribute: samlAttributes.eduPersonPrincipalName,
      emailAttribute: samlAttributes.mail,
      firstNameAttribute: samlAttributes.givenName,
      lastNameAttribute: samlAttributes.sn,
    };
  });
  afterAll(() => idp.close());

  /** Starts a sign-in and has the IdP answer it as `options` say. */
  async function signIn(user: SamlTestUser = ada, options: SamlResponseOptions = {}) {
    const { redirectUrl, requestId } = await samlStart(settings, 'relay-1');
    const request = await idp.readRequest(redirectUrl);
    return { requestId, request, samlResponse: idp.respond(request, user, options) };
  }

  function finish(samlResponse: string, expectedRequestId: string, now = t().clock.now()) {
    return samlFinish(t().ctx.db, new Date(now), settings, { samlResponse, expectedRequestId });
  }

  it('redirects to the IdP with an AuthnRequest naming Convene, its ACS and the relay state', async () => {
    const { redirectUrl, requestId } = await samlStart(settings, 'relay-1');
    expect(redirectUrl.startsWith(`${idp.ssoUrl}?`)).toBe(true);
    const request = await idp.readRequest(redirectUrl);
    expect(request).toEqual({
      id: requestId,
      relayState: 'relay-1',
      acsUrl: 'https://convene.example.org/api/sso/' + settings.providerId + '/acs',
      spEntityId: 'https://convene.example.org/api/sso/' + settings.providerId + '/metadata',
    });
    const second = await samlStart(settings, 'relay-1');
    expect(second.requestId).not.toBe(requestId);
  });

  it('accepts a good response and maps the attributes to the profile', async () => {
    const { requestId, samlResponse } = await signIn();
    expect(await finish(samlResponse, requestId)).toEqual({
      uniqueId: 'ada@northfield.edu',
      email: 'ada.lovelace@northfield.edu',
      emailVerified: true,
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
  });

  it('accepts a response signed on both the response and the assertion', async () => {
    const { requestId, samlResponse } = await signIn(ada, { sign: 'both' });
    expect((await finish(samlResponse, requestId)).uniqueId).toBe('ada@northfield.edu');
  });

  it('maps a person without email or names to nulls', async () => {
    const { requestId, samlResponse } = await signIn({ eppn: 'b@northfield.edu' });
    expect(await finish(samlResponse, requestId)).toEqual({
      uniqueId: 'b@northfield.edu',
      email: null,
      emailVerified: false,
      firstName: null,
      lastName: null,
    });
  });

  it('refuses a response changed after signing, and one signed by a key not in the metadata', async () => {
    const tampered = await signIn(ada, { tamper: true });
    expect(await codeOf(finish(tampered.samlResponse, tampered.requestId))).toBe('saml_signature_invalid');
    const foreign = await signIn(ada, { foreignKey: true });
    expect(await codeOf(finish(foreign.samlResponse, foreign.requestId))).toBe('saml_signature_invalid');
  });

  it('refuses an unsigned assertion, even inside a signed response', async () => {
    const onlyResponse = await signIn(ada, { sign: 'response' });
    expect(await codeOf(finish(onlyResponse.samlResponse, onlyResponse.requestId))).toBe('saml_signature_invalid');
    const none = await signIn(ada, { sign: 'none' });
    expect(await codeOf(finish(none.samlResponse, none.requestId))).toBe('saml_signature_invalid');
  });

  it('refuses an assertion meant for another service', async () => {
    const { requestId, samlResponse } = await signIn(ada, { audience: 'https://other.example.org/sp' });
    expect(await codeOf(finish(samlResponse, requestId))).toBe('saml_audience_mismatch');
  });

  it('refuses an assertion issued by another entity, even when signed with the known key', async () => {
    const { requestId, samlResponse } = await signIn(ada, { issuer: 'https://evil.example.org/idp' });
    expect(await codeOf(finish(samlResponse, requestId))).toBe('saml_issuer_mismatch');
  });

  it('refuses a response for another recipient or destination', async () => {
    const other = 'https://convene.example.org/api/sso/other/acs';
    const recipient = await signIn(ada, { recipient: other });
    expect(await codeOf(finish(recipient.samlResponse, recipient.requestId))).toBe('saml_recipient_mismatch');
    const destination = await signIn(ada, { destination: other });
    expect(await codeOf(finish(destination.samlResponse, destination.requestId))).toBe('saml_recipient_mismatch');
  });

  it('refuses a response that answers another request', async () => {
    const first = await signIn();
    const second = await signIn();
    expect(await codeOf(finish(first.samlResponse, second.requestId))).toBe('saml_in_response_to_mismatch');
    const unsolicited = await signIn(ada, { inResponseTo: '_not-asked' });
    expect(await codeOf(finish(unsolicited.samlResponse, unsolicited.requestId))).toBe('saml_in_response_to_mismatch');
  });

  it('accepts a response inside its window within the clock skew, and refuses it outside', async () => {
    const now = t().clock.now();
    // issued 5 minutes ago with a 5-minute life: expired, and still so within the skew
    const old = await signIn(ada, { issuedAt: now - 5 * MINUTE - SAML_CLOCK_SKEW_MS });
    expect(await codeOf(finish(old.samlResponse, old.requestId))).toBe('saml_response_expired');
    // from an IdP whose clock is ahead by less than the skew: accepted
    const ahead = await signIn(ada, { issuedAt: now + SAML_CLOCK_SKEW_MS - MINUTE });
    expect(await codeOf(finish(ahead.samlResponse, ahead.requestId))).toBe('no error');
    // ahead by more than the skew: not valid yet
    const future = await signIn(ada, { issuedAt: now + SAML_CLOCK_SKEW_MS + MINUTE });
    expect(await codeOf(finish(future.samlResponse, future.requestId))).toBe('saml_response_expired');
    // a good response read at a later `now` (the caller's clock, not the system's)
    const late = await signIn();
    expect(await codeOf(finish(late.samlResponse, late.requestId, now + 5 * MINUTE + SAML_CLOCK_SKEW_MS))).toBe(
      'saml_response_expired',
    );
  });

  it('accepts an assertion ID once per provider and keeps nothing of a refused response', async () => {
    const { requestId, samlResponse } = await signIn();
    expect(await codeOf(finish(samlResponse, requestId))).toBe('no error');
    expect(await codeOf(finish(samlResponse, requestId))).toBe('saml_assertion_replayed');

    const assertionId = `_fixed-${crypto.randomBytes(4).toString('hex')}`;
    const refused = await signIn({ eppn: null, mail: 'x@northfield.edu' }, { assertionId });
    expect(await codeOf(finish(refused.samlResponse, refused.requestId))).toBe('saml_unique_id_missing');
    const rows = await t()
      .ctx.db.selectFrom('sso_saml_assertion')
      .select('assertion_id')
      .where('assertion_id', '=', assertionId)
      .execute();
    expect(rows).toEqual([]);
    // the same assertion ID, now with the Unique ID, is accepted: the refused one left no row
    const retry = await signIn(ada, { assertionId });
    expect(await codeOf(finish(retry.samlResponse, retry.requestId))).toBe('no error');
    // ... by another provider with the same IdP too: replays are counted per provider
    const again = await signIn(ada, { assertionId });
    const otherProvider = { ...settings, providerId: `${settings.providerId}-b` };
    const samlResponse2 = idp.respond(
      { ...(await idp.readRequest((await samlStart(otherProvider, 'r')).redirectUrl)), id: again.requestId },
      ada,
      { assertionId },
    );
    expect(
      await codeOf(
        samlFinish(t().ctx.db, new Date(t().clock.now()), otherProvider, {
          samlResponse: samlResponse2,
          expectedRequestId: again.requestId,
        }),
      ),
    ).toBe('no error');
  });

  it('refuses a response without the Unique ID attribute', async () => {
    const { requestId, samlResponse } = await signIn({ eppn: null, mail: 'ada@northfield.edu' });
    expect(await codeOf(finish(samlResponse, requestId))).toBe('saml_unique_id_missing');
  });

  it('refuses a response that is not SAML at all', async () => {
    const { requestId } = await signIn();
    expect(await codeOf(finish(Buffer.from('<html/>').toString('base64'), requestId))).toBe('saml_response_invalid');
    expect(await codeOf(finish('%%%', requestId))).toBe('saml_response_invalid');
  });

  it('lets the hourly cleanup delete assertion IDs past their expiry only', async () => {
    const db = t().ctx.db;
    const assertionId = `_cleanup-${crypto.randomBytes(4).toString('hex')}`;
    const { requestId, samlResponse } = await signIn(ada, { assertionId });
    await finish(samlResponse, requestId);
    const mine = db.selectFrom('sso_saml_assertion').select('expires_at').where('assertion_id', '=', assertionId);
    const { expires_at: expiresAt } = await mine.executeTakeFirstOrThrow();
    expect(expiresAt).toBe(t().clock.now() + 5 * MINUTE + SAML_CLOCK_SKEW_MS);

    t().clock.set(expiresAt);
    await purgeExpiredSamlAssertions(t().ctx);
    expect(await mine.execute()).toHaveLength(1);

    t().clock.set(expiresAt + 1);
    const due = await db
      .selectFrom('sso_saml_assertion')
      .select('assertion_id')
      .where('expires_at', '<', expiresAt + 1)
      .execute();
    expect((await purgeExpiredSamlAssertions(t().ctx)).samlAssertions).toBe(due.length);
    expect(await mine.execute()).toEqual([]);
    const left = await db.selectFrom('sso_saml_assertion').select('expires_at').execute();
    expect(left.every((row) => row.expires_at >= expiresAt + 1)).toBe(true);
  });

  it('publishes SP metadata with the entity ID, the ACS and signed assertions required', () => {
    const xml = samlSpMetadata(settings);
    expect(xml).toContain(`entityID="${samlSpEntityId(settings)}"`);
    expect(xml).toContain(`Location="${samlAcsUrl(settings)}"`);
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(xml).toContain('WantAssertionsSigned="true"');
  });
});

describeEachDb('SAML IdP metadata', () => {
  let server: http.Server;
  let base: string;
  let idp: TestSamlIdp;
  const served = new Map<string, (res: http.ServerResponse) => void>();

  beforeAll(async () => {
    idp = await TestSamlIdp.start(() => Date.UTC(2026, 10, 26, 12));
    server = http.createServer((req, res) => {
      const serve = served.get(req.url ?? '');
      if (serve) serve(res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    served.set('/huge', (res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      for (let i = 0; i <= METADATA_MAX_BYTES / chunk.length; i++) res.write(chunk);
      res.end();
    });
    served.set('/gone', (res) => res.writeHead(500).end());
  });
  afterAll(async () => {
    await idp.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads an uploaded metadata document and one from a URL alike', async () => {
    const uploaded = await loadIdpMetadata({ metadataXml: idp.metadataXml });
    expect(uploaded.entityId).toBe(idp.entityId);
    expect(uploaded.ssoUrl).toBe(idp.ssoUrl);
    expect(await loadIdpMetadata({ metadataUrl: idp.metadataUrl })).toEqual(uploaded);
  });

  it('chooses one IdP from a federation aggregate by its entity ID', async () => {
    const other = await TestSamlIdp.start(() => Date.UTC(2026, 10, 26, 12));
    const strip = (xml: string) => xml.replace(/^<\?xml[^>]*\?>/, '');
    const aggregate = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${strip(idp.metadataXml)}${strip(other.metadataXml)}</md:EntitiesDescriptor>`;
    await other.close();
    expect(await codeOf(loadIdpMetadata({ metadataXml: aggregate }))).toBe('saml_metadata_invalid');
    const chosen = await loadIdpMetadata({ metadataXml: aggregate, entityId: other.entityId });
    expect(chosen.entityId).toBe(other.entityId);
    expect(chosen.metadataXml).not.toContain(idp.entityId);
  });

  it('refuses metadata that is not XML, names no IdP, or lacks the redirect binding or a certificate', async () => {
    expect(await codeOf(loadIdpMetadata({ metadataXml: 'not xml <' }))).toBe('saml_metadata_invalid');
    expect(await codeOf(loadIdpMetadata({ metadataXml: '<a/>' }))).toBe('saml_metadata_invalid');
    const noRedirect = idp.metadataXml.replace(
      /Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"/g,
      'Binding="x"',
    );
    expect(await codeOf(loadIdpMetadata({ metadataXml: noRedirect }))).toBe('saml_metadata_invalid');
    const noCert = idp.metadataXml.replace(/<(\w+:)?KeyDescriptor[\s\S]*?<\/(\w+:)?KeyDescriptor>/g, '');
    expect(await codeOf(loadIdpMetadata({ metadataXml: noCert }))).toBe('saml_metadata_invalid');
    const badCert = idp.metadataXml.replace(/(<(\w+:)?X509Certificate>)[^<]+/, '$1AAAA');
    expect(await codeOf(loadIdpMetadata({ metadataXml: badCert }))).toBe('saml_metadata_invalid');
    expect(await codeOf(loadIdpMetadata({}))).toBe('saml_metadata_invalid');
  });

  it('says why a metadata URL could not be used', async () => {
    expect(await codeOf(loadIdpMetadata({ metadataUrl: `${base}/gone` }))).toBe('saml_metadata_unreachable');
    expect(await codeOf(loadIdpMetadata({ metadataUrl: `${base}/huge` }))).toBe('saml_metadata_unreachable');
    expect(await codeOf(loadIdpMetadata({ metadataUrl: 'file:///etc/passwd' }))).toBe('saml_metadata_unreachable');
    expect(await codeOf(loadIdpMetadata({ metadataUrl: 'not a url' }))).toBe('saml_metadata_unreachable');
  });
});
