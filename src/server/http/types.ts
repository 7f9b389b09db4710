/** Fastify declaration merging: the app context and registries on the instance, the caller on each request. */
import type { Caller } from './caller.js';
import type { AppContext } from '../context.js';
import type { EmailTemplateMap } from '../email/templates.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    /** every module's email templates (the Email log renders with them) */
    emailTemplates: EmailTemplateMap;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** false for the few unsafe routes that carry their own token (one-click unsubscribe) */
    csrf?: boolean;
    /** true for a route that reads the Authorization header itself (/metrics' token), not as an API token */
    ownAuthorization?: boolean;
    /** `data_jobs`: API tokens with the data_jobs scope may call this route whatever its method */
    tokenScope?: 'data_jobs';
    /**
     * false for machine probes and progress polls: a SQLite data job in this process does not
     * shorten its batches or give way for them (interactive.ts); they wait for the batch in hand
     */
    interactive?: boolean;
  }
}
