/**
 * Where webhooks may go (SSRF rule, docs/security.md): `https://` only; `http://` only to this
 * machine (loopback) and only with WEBHOOK_ALLOW_LOOPBACK. The address a request actually
 * connects to is checked at connection time (the DNS look-up of every request, not only when the
 * endpoint is saved, so a name that later resolves to an inner address is refused too): loopback
 * only with WEBHOOK_ALLOW_LOOPBACK, private, link-local (cloud metadata), unspecified and other
 * special ranges only with WEBHOOK_ALLOW_PRIVATE_NETWORKS.
 */
import dns from 'node:dns';
import net from 'node:net';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

type Policy = Pick<Config, 'webhookAllowLoopback' | 'webhookAllowPrivateNetworks'>;

const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const special = new net.BlockList();
for (const [a, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  special.addSubnet(a, bits, 'ipv4');
for (const [a, bits] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  special.addSubnet(a, bits, 'ipv6');

/** `loopback`, `private` (any other inner or special range), or `public`. */
export function addressKind(address: string): 'loopback' | 'private' | 'public' {
  let ip = address;
  let family = net.isIP(ip);
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) {
    ip = mapped[1];
    family = 4;
  }
  if (family === 0) return 'private';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (loopback.check(ip, type)) return 'loopback';
  if (special.check(ip, type)) return 'private';
  return 'public';
}

/** Why this address may not be connected to, or null when it may. */
export function refusedAddress(address: string, policy: Policy): 'webhook_url_private' | null {
  const kind = addressKind(address);
  if (kind === 'public') return null;
  if (kind === 'loopback') return policy.webhookAllowLoopback ? null : 'webhook_url_private';
  return policy.webhookAllowPrivateNetworks ? null : 'webhook_url_private';
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Checks a URL an admin gives (scheme, form, a literal address); throws AppError with the code. */
export function checkWebhookUrl(raw: string, policy: Policy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('webhook_url_invalid');
  }
  if (url.username || url.password || !url.hostname) throw new AppError('webhook_url_invalid');
  const host = hostOf(url);
  const literal = net.isIP(host) !== 0;
  const isLoopbackName = host === 'localhost' || (literal && addressKind(host) === 'loopback');
  if (url.protocol === 'http:') {
    if (!(policy.webhookAllowLoopback && isLoopbackName)) throw new AppError('webhook_url_not_https');
  } else if (url.protocol !== 'https:') {
    throw new AppError('webhook_url_not_https');
  }
  if (isLoopbackName && !policy.webhookAllowLoopback) throw new AppError('webhook_url_private');
  if (literal && refusedAddress(host, policy)) throw new AppError('webhook_url_private');
  return url;
}

export class RefusedAddressError extends Error {
  readonly code = 'webhook_url_private';
}

/**
 * A `lookup` for http(s).request that resolves as usual and refuses an address the policy does
 * not allow, so the check holds for the address actually connected to.
 */
export function guardedLookup(policy: Policy): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refused = list.find((a) => refusedAddress(a.address, policy));
      if (refused) return callback(new RefusedAddressError(`refused address ${refused.address}`), '', 0);
      if ((options as dns.LookupOptions).all) return callback(null, list as never, 0);
      const first = list[0];
      if (!first) return callback(new Error(`no address for ${hostname}`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
