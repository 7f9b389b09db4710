/**
 * Mail clients post the one-click unsubscribe form (RFC 8058: urlencoded, or multipart). A plugin
 * that serves one-click links calls this to accept those bodies; their content does not matter —
 * the link's token does.
 */
import type { FastifyInstance } from 'fastify';

export function acceptOneClickForms(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  if (!app.hasContentTypeParser('multipart/form-data')) {
    app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) =>
      done(null, {}),
    );
  }
}
