/**
 * The email an invitation link fills in. It travels in the URL fragment (`#email=…`), which the
 * browser never sends to a server, so no access log or proxy ever records the address.
 */
export function emailFromUrl(location: Pick<Location, 'hash'> = window.location): string {
  return new URLSearchParams(location.hash.replace(/^#/, '')).get('email') ?? '';
}
