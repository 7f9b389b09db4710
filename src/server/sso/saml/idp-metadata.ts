/**
 * The identity provider's SAML metadata, as uploaded or fetched from a URL: its entity ID, its
 * single sign-on URL for the HTTP-Redirect binding and its signing certificates. The XML is read
 * with node-saml's own parser (which refuses malformed documents); nothing here checks signatures.
 */
import crypto from 'node:crypto';
import { parseDomFromString, xpath } from '@node-saml/node-saml/lib/xml.js';
import { AppError } from '../../errors.js';

export const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
/** Metadata larger than this is refused: one IdP's metadata is a few kilobytes. */
export const METADATA_MAX_BYTES = 5 * 1024 * 1024;
export const METADATA_FETCH_TIMEOUT_MS = 10_000;

export interface IdpMetadata {
  /** the one EntityDescriptor of the chosen IdP, as XML */
  readonly metadataXml: string;
  readonly entityId: string;
  readonly ssoUrl: string;
  /** PEM certificates the IdP signs with */
  readonly certificates: readonly string[];
}

function invalid(detail: string): AppError {
  return new AppError('saml_metadata_invalid', undefined, { detail });
}

const IDP_ENTITIES = "//*[local-name()='EntityDescriptor'][*[local-name()='IDPSSODescriptor']]";

/**
 * Reads IdP metadata. A federation's aggregate (an EntitiesDescriptor with many IdPs) needs
 * `entityId` to choose one; a document with one IdP may leave it out.
 */
export async function parseIdpMetadata(xml: string, entityId?: string): Promise<IdpMetadata> {
  let doc: Document;
  try {
    doc = await parseDomFromString(xml);
  } catch {
    throw invalid('The document is not well-formed XML.');
  }
  const entities = xpath.selectElements(doc, IDP_ENTITIES);
  const chosen = entityId ? entities.filter((e) => e.getAttribute('entityID') === entityId) : entities;
  if (chosen.length === 0) {
    throw invalid(entityId ? `No IdP with entity ID ${entityId} in the metadata.` : 'The metadata describes no IdP.');
  }
  if (chosen.length > 1) throw invalid('The metadata describes several IdPs: give the entity ID of yours.');
  const entity = chosen[0]!;
  const id = entity.getAttribute('entityID');
  if (!id) throw invalid('The EntityDescriptor has no entityID.');
  const idp = "*[local-name()='IDPSSODescriptor']";
  const sso = xpath
    .selectElements(entity, `${idp}/*[local-name()='SingleSignOnService']`)
    .find((e) => e.getAttribute('Binding') === REDIRECT_BINDING);
  const ssoUrl = sso?.getAttribute('Location');
  if (!ssoUrl || !/^https?:\/\//.test(ssoUrl)) {
    throw invalid('The IdP has no SingleSignOnService for the HTTP-Redirect binding.');
  }
  const certificates: string[] = [];
  for (const key of xpath.selectElements(entity, `${idp}/*[local-name()='KeyDescriptor']`)) {
    const use = key.getAttribute('use');
    if (use && use !== 'signing') continue;
    for (const cert of xpath.selectElements(key, ".//*[local-name()='X509Certificate']")) {
      const base64 = (cert.textContent ?? '').replace(/\s+/g, '');
      const pem = `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
      try {
        new crypto.X509Certificate(pem);
      } catch {
        throw invalid('A signing certificate in the metadata cannot be read.');
      }
      certificates.push(pem);
    }
  }
  if (certificates.length === 0) throw invalid('The IdP publishes no signing certificate.');
  return { metadataXml: entity.toString(), entityId: id, ssoUrl, certificates };
}

/** Fetches metadata from an http(s) URL, with a time limit and a size limit. */
export async function fetchIdpMetadata(url: string): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('saml_metadata_unreachable', 'The metadata URL is not a valid URL.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new AppError('saml_metadata_unreachable', 'The metadata URL must start with https:// or http://.');
  }
  let response: Response;
  try {
    response = await fetch(parsed, {
      signal: AbortSignal.timeout(METADATA_FETCH_TIMEOUT_MS),
      headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' },
      redirect: 'follow',
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new AppError(
      'saml_metadata_unreachable',
      timedOut
        ? `The metadata URL did not answer within ${METADATA_FETCH_TIMEOUT_MS / 1000} seconds.`
        : 'The metadata URL could not be reached.',
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new AppError('saml_metadata_unreachable', `The metadata URL answered HTTP ${response.status}.`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > METADATA_MAX_BYTES) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > METADATA_MAX_BYTES) {
        await response.body?.cancel();
        throw tooLarge();
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('saml_metadata_unreachable', 'The metadata download was cut off.');
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(): AppError {
  return new AppError(
    'saml_metadata_unreachable',
    `The metadata at that URL is larger than ${METADATA_MAX_BYTES / 1024 / 1024} MB: use the URL of your IdP's own metadata, not a federation's aggregate.`,
  );
}
