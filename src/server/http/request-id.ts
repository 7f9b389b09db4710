/**
 * Request ids: every request gets one, logged with each line about it, sent back as
 * `X-Request-Id` and as `requestId` in error answers, so that an operator can find the log lines
 * of the answer a person reports. A proxy in front may pass its own id (`X-Request-Id`) so that
 * its logs and ours share it — taken only from a proxy TRUST_PROXY names, and only when it looks
 * like an id (a client must not write arbitrary text into the logs).
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { TrustProxy } from '../config.js';

const saneId = /^[A-Za-z0-9][A-Za-z0-9._:@+=-]{7,127}$/;

/** The ranges behind TRUST_PROXY's names, as proxy-addr (Fastify's trustProxy) reads them. */
const namedRanges: Record<string, readonly [string, number, 'ipv4' | 'ipv6'][]> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  linklocal: [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  uniquelocal: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
};

/** Whether the direct peer is a proxy the configuration trusts. */
export function trustsPeer(trust: TrustProxy): (address: string | undefined) => boolean {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return () => trust > 0;
  const list = new net.BlockList();
  for (const entry of trust) {
    const ranges = namedRanges[entry];
    if (ranges) for (const [network, bits, type] of ranges) list.addSubnet(network, bits, type);
    else {
      const [address, bits] = entry.split('/');
      const type = net.isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(bits), type);
    }
  }
  return (address) => {
    if (!address) return false;
    const plain = address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
    return list.check(plain, net.isIP(plain) === 6 ? 'ipv6' : 'ipv4');
  };
}

/** Fastify's genReqId: a trusted proxy's sane X-Request-Id, or a new UUID. */
export function requestIdGenerator(trust: TrustProxy): (request: IncomingMessage) => string {
  const trusted = trustsPeer(trust);
  return (request) => {
    const given = request.headers['x-request-id'];
    if (typeof given === 'string' && saneId.test(given) && trusted(request.socket?.remoteAddress)) return given;
    return crypto.randomUUID();
  };
}
