/**
 * Headers on every answer that helmet does not set: a Permissions-Policy that turns off the
 * browser features Convene never uses, and `Cache-Control: no-store` on API answers, so that a
 * shared computer's cache or a proxy never keeps a signed-in person's data (their profile, people
 * lists, CSV exports).
 */
import type { FastifyInstance } from 'fastify';

export const permissionsPolicy = [
  'accelerometer=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'usb=()',
  'browsing-topics=()',
].join(', ');

export function registerResponseHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('permissions-policy', permissionsPolicy);
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/api/')) {
      // A signed-in answer is never stored, whatever the route chose; an anonymous one keeps a
      // route's own choice (a public page's data may be cached).
      if (request.caller !== null || !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}
