/** build(ctx) → a Fastify instance with every module registered; it does not listen. */
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { errorResponses, okSchema, readyAnswerSchema } from '../shared/api.js';
import { errorBodySchema } from '../shared/errors.js';
import { isHttps, type TrustProxy } from './config.js';
import type { AppContext } from './context.js';
import { pingDatabase } from './db/db.js';
import { storageFullSince } from './db/storage-full.js';
import { registerAuthHook } from './auth/auth-hook.js';
import { requestEnded, requestStarted } from './interactive.js';
import { registerCsrf } from './http/csrf.js';
import { registerErrorHandler, sendDatabaseUnavailable, sendError, sendFrameworkError } from './http/error-handler.js';
import { loggerOptions } from './http/log.js';
import { registerInputGuard } from './http/input-guard.js';
import { registerResponseHeaders } from './http/response-headers.js';
import { requestIdGenerator } from './http/request-id.js';
import { registerMetrics } from './metrics/metrics.routes.js';
import { webPages } from './http/web-pages.js';
import type { Lifecycle } from './shutdown.js';
import './http/types.js';
import type { Registries } from './module.js';
import { registries as featureRegistries } from './modules.js';

export interface BuildOptions {
  /** folder of the built web app; defaults to dist/web when it exists */
  webRoot?: string | null;
  /** sees every route as it is registered (the authorization matrix test enumerates them) */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
  /** what the feature modules register; defaults to every module in modules.ts */
  registries?: Pick<Registries, 'routes' | 'emailTemplates'>;
  /** the process's shutdown state (cli.ts): once shutting down, not ready and every answer closes its connection */
  lifecycle?: Lifecycle;
}

const defaultWebRoot = path.resolve('dist/web');

export async function build(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(ctx.config),
    trustProxy: trustProxyOption(ctx.config.trustProxy),
    bodyLimit: 1024 * 1024,
    genReqId: requestIdGenerator(ctx.config.trustProxy),
    requestIdHeader: false,
    frameworkErrors: (error, _request, reply) => sendFrameworkError(error, reply),
    // A request that reaches a closing server on a kept-alive connection (a load balancer's) is
    // answered, with the connection closed after it, rather than refused with a bare 503.
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: no text/plain bodies (a classic CSRF vector).
  app.removeContentTypeParser('text/plain');
  app.decorate('ctx', ctx);
  const registries = options.registries ?? featureRegistries;
  app.decorate('emailTemplates', registries.emailTemplates);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: isHttps(ctx.config) ? [] : null,
      },
    },
    hsts: isHttps(ctx.config) ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  registerErrorHandler(app);
  registerCsrf(app);
  registerAuthHook(app);
  registerInputGuard(app);
  registerResponseHeaders(app);
  // Counted while answered, so that a data job in this process gives way to requests; machine
  // probes and progress polls (`config.interactive: false`) do not shorten its batches (interactive.ts).
  app.addHook('onRequest', async (request, reply) => {
    const interactive = request.routeOptions.config?.interactive !== false;
    requestStarted(interactive);
    let ended = false;
    reply.raw.once('close', () => {
      if (ended) return;
      ended = true;
      requestEnded(interactive);
    });
  });
  const lifecycle = options.lifecycle;
  if (lifecycle)
    app.addHook('onRequest', async (_request, reply) => {
      // A load balancer's kept-alive connection would otherwise outlive the drain and meet a closed port.
      if (lifecycle.shuttingDown) reply.header('connection', 'close');
    });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Convene API',
        version: '0.1.0',
        description: 'Invite the right people into the right communities.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'convene_session' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // Swagger UI's default policy (staticCSP: true) says upgrade-insecure-requests even over plain http —
  // a blank page at http://<LAN address>/api/docs — and blocks the inline styles it sets.
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: apiDocsCsp(isHttps(ctx.config)) });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/healthz',
    {
      config: { interactive: false },
      schema: {
        tags: ['ops'],
        summary: 'Liveness: the process answers',
        response: { 200: okSchema, 500: errorBodySchema },
      },
    },
    async () => ({ ok: true as const }),
  );
  app.get(
    '/readyz',
    {
      config: { interactive: false },
      schema: {
        tags: ['ops'],
        summary:
          'Readiness: the database is reachable and the process is not shutting down (503 when not), and it takes writes (507 just after a full disk refused one)',
        response: { 200: readyAnswerSchema, ...errorResponses(503, 507) },
      },
    },
    async (request, reply) => {
      if (lifecycle?.shuttingDown) return sendError(reply, 'shutting_down');
      if (storageFullSince(ctx.db, ctx.clock.now()) !== undefined) return sendError(reply, 'storage_full');
      try {
        await pingDatabase(ctx.db);
        return { ok: true as const, database: ctx.dialect };
      } catch (error) {
        return sendDatabaseUnavailable(request.log, reply, error);
      }
    },
  );

  registerMetrics(app, ctx);

  for (const routes of registries.routes) await app.register(routes);

  const webRoot =
    options.webRoot === undefined ? (fs.existsSync(defaultWebRoot) ? defaultWebRoot : null) : options.webRoot;
  const pageHtml = webRoot ? webPages(webRoot) : null;
  if (webRoot) {
    await app.register(fastifyStatic, {
      root: webRoot,
      index: false,
      wildcard: false,
      // `npm run build` writes .br and .gz copies (scripts/compress-web.mjs); sent by Accept-Encoding
      preCompressed: true,
      globIgnore: ['**/*.br', '**/*.gz'],
      setHeaders: (reply, filePath) => reply.header('cache-control', staticCacheControl(webRoot, filePath)),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const isPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !request.url.startsWith('/api/') &&
      !request.url.startsWith('/assets/');
    if (isPage && pageHtml)
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(pageHtml(request.url));
    return sendError(reply, 'not_found');
  });
  return app;
}

/**
 * Fastify's own hop count trusts no hop at all (it cannot check the nearest peer), so a count
 * becomes proxy-addr's function form: the socket and the next `hops - 1` addresses are proxies,
 * and the client is the address before them. A list goes to proxy-addr as it is.
 */
export function trustProxyOption(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}

/**
 * Vite names everything under assets/ by its content hash, so a browser may keep it for a year;
 * anything else (index.html, favicon.svg) is checked again on every use.
 */
function staticCacheControl(webRoot: string, filePath: string): string {
  const relative = path.relative(webRoot, filePath).split(path.sep);
  return relative[0] === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** The CSP of the API docs pages (Swagger UI): the app's own rules, plus inline styles, which Swagger UI sets. */
export function apiDocsCsp(https: boolean): string {
  return [
    "default-src 'self'",
    "base-uri 'self'",
    "font-src 'self' data:",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    "form-action 'self'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}
