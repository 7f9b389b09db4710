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
