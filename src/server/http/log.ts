/** Logger options: request ids, and no codes, tokens or full email addresses in logs. */
import type { FastifyServerOptions } from 'fastify';
import { stdSerializers } from 'pino';
import type { Config } from '../config.js';
import { maskEmailsIn } from '../log.js';

/** Hides path segments that are secrets (sign-in links, invite URLs, unsubscribe tokens) and query strings. */
export function redactUrl(url: string): string {
  const [path] = url.split('?');
  return path.replace(/\/(auth\/link|invite|unsubscribe|api\/invite|api\/unsubscribe)\/[^/]+/g, '/$1/***');
}

/**
 * Errors as pino serializes them, with addresses masked: a database error's message and
 * `detail` quote the offending value (`Key (email)=(jane@x.org) already exists.`).
 */
export function serializeError(error: Error): ReturnType<typeof stdSerializers.err> {
  // something other than an Error was thrown (a string, a plain value): as pino would log it, masked
  if (!(error instanceof Error))
    return (typeof error === 'string' ? maskEmailsIn(error) : error) as unknown as ReturnType<
      typeof stdSerializers.err
    >;
  const out = { ...stdSerializers.err(error) };
  for (const [key, value] of Object.entries(out)) if (typeof value === 'string') out[key] = maskEmailsIn(value);
  return out;
}

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.env === 'test' ? 'silent' : config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '***' },
    serializers: {
      err: serializeError,
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: redactUrl(req.url),
        id: req.id,
      }),
    },
  };
}
