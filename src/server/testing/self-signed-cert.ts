/**
 * A throw-away RSA key and self-signed X.509 certificate, made with node's crypto at test time
 * (node can sign but has no certificate builder, so the few DER structures are encoded here).
 * For test peers only: an identity provider's signing certificate, a TLS server.
 */
import crypto from 'node:crypto';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const seq = (...c: Buffer[]): Buffer => tlv(0x30, ...c);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a! * 40 + b!];
  for (const part of rest) {
    const groups: number[] = [];
    for (let v = part; ; v = Math.floor(v / 128)) {
      groups.unshift(v % 128);
      if (v < 128) break;
    }
    bytes.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return tlv(0x06, Buffer.from(bytes));
}

function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function utcTime(ms: number): Buffer {
  const iso = new Date(ms).toISOString(); // 2026-11-26T12:00:00.000Z
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

function name(commonName: string): Buffer {
  return seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
}

export interface SelfSignedCert {
  /** PKCS#8 PEM */
  readonly privateKeyPem: string;
  /** X.509 PEM */
  readonly certPem: string;
  /** the certificate's base64 DER, as in XML signatures and SAML metadata */
  readonly certBase64: string;
}

/** A 2048-bit RSA key and a certificate for it, valid from a year before `now` to ten years after. */
export function selfSignedCert(commonName: string, now: number): SelfSignedCert {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
  const year = 365 * 24 * 60 * 60 * 1000;
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(crypto.randomBytes(12)),
    sha256WithRsa,
    name(commonName),
    seq(utcTime(now - year), utcTime(now + 10 * year)),
    name(commonName),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = crypto.sign('sha256', tbs, privateKey);
  const der = seq(tbs, sha256WithRsa, tlv(0x03, Buffer.from([0]), signature));
  const certBase64 = der.toString('base64');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certPem: `-----BEGIN CERTIFICATE-----\n${certBase64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`,
    certBase64,
  };
}
