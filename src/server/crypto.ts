/** Hashing and random tokens. Secrets are stored only as HMACs keyed by the site secret. */
import crypto from 'node:crypto';

/** HMAC-SHA256 of `value` under the site secret, hex. `purpose` separates uses of one secret. */
export function hmac(secret: string, purpose: string, value: string): string {
  return crypto.createHmac('sha256', secret).update(`${purpose}\u0000${value}`).digest('hex');
}

/** An opaque random token, base64url; 16 bytes = 128 bits by default. */
export function randomToken(bytes = 16): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/** A 6-digit code from the CSPRNG, uniformly distributed, with leading zeros kept. */
export function randomCode(): string {
  return crypto.randomInt(0, 1_000_000).toString().padStart(6, '0');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function sealKey(secret: string, purpose: string): Buffer {
  return crypto.createHash('sha256').update(`seal\u0000${purpose}\u0000${secret}`).digest();
}

/**
 * Encrypts a secret that must be read back (an OIDC client secret) with AES-256-GCM under a key
 * derived from the site secret; `purpose` separates uses. Returns `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export function seal(secret: string, purpose: string, plaintext: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', sealKey(secret, purpose), iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Opens what seal() made; throws when the site secret changed or the text was altered. */
export function unseal(secret: string, purpose: string, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed value');
  const decipher = crypto.createDecipheriv('aes-256-gcm', sealKey(secret, purpose), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
