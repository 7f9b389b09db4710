/**
 * A test file's SMTP peer and a transport to it, started before its tests and closed after them:
 * `const smtp = useSmtpPeer({ from })`, then `smtp.peer` and `smtp.transport` inside the tests.
 */
import { afterAll, beforeAll } from 'vitest';
import { createSmtpTransport, type MailTransport, type SmtpTransportOptions } from '../email/transport.js';
import { type SmtpPeer, startSmtpPeer } from './smtp-peer.js';

export interface SmtpPeerHandle {
  readonly peer: SmtpPeer;
  readonly transport: MailTransport;
}

export function useSmtpPeer(options: Omit<SmtpTransportOptions, 'url'>): SmtpPeerHandle {
  let started: SmtpPeerHandle | undefined;
  beforeAll(async () => {
    const peer = await startSmtpPeer();
    started = { peer, transport: createSmtpTransport({ ...options, url: peer.url }) };
  });
  afterAll(async () => {
    started?.transport.close();
    await started?.peer.close();
  });
  const ready = () => {
    if (!started) throw new Error('the SMTP peer is not started yet (use it inside a test or hook)');
    return started;
  };
  return {
    get peer() {
      return ready().peer;
    },
    get transport() {
      return ready().transport;
    },
  };
}
