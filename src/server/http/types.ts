/** Fastify declaration merging: the app context on the instance, the caller on each request. */
import type { Caller } from './caller.js';
import type { AppContext } from '../context.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** false for the few unsafe routes that carry their own token (one-click unsubscribe) */
    csrf?: boolean;
  }
}
