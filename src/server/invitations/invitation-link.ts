/**
 * The invitation a join link carries: `?inv=<community>.<person>.<mac>`, a MAC under the site
 * secret, so a link names one invitation and cannot be forged for another. Opening it records
 * the funnel's "opened" once; no tracking pixel, nothing stored per link.
 */
import { invitationLinkParam } from '../../shared/insights.js';
import { hmac, safeEqual } from '../crypto.js';

const purpose = 'invitation_link';

export function invitationLinkToken(secret: string, communityId: number, personId: number): string {
  return `${communityId}.${personId}.${hmac(secret, purpose, `${communityId}.${personId}`).slice(0, 24)}`;
}

/** The invitation a token names, or undefined when it is not one this site made. */
export function readInvitationLinkToken(
  secret: string,
  token: string,
): { communityId: number; personId: number } | undefined {
  const m = /^(\d{1,10})\.(\d{1,10})\.([0-9a-f]{24})$/.exec(token);
  if (!m) return undefined;
  const communityId = Number(m[1]);
  const personId = Number(m[2]);
  if (!safeEqual(invitationLinkToken(secret, communityId, personId), token)) return undefined;
  return { communityId, personId };
}

/** `path` (maybe with a #fragment) with the invitation's parameter added to its query. */
export function withInvitationLink(path: string, token: string): string {
  const hash = path.indexOf('#');
  const [base, fragment] = hash < 0 ? [path, ''] : [path.slice(0, hash), path.slice(hash)];
  const sep = base.includes('?') ? '&' : '?';
  return `${base}${sep}${invitationLinkParam}=${encodeURIComponent(token)}${fragment}`;
}
