import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import { enqueueEmail, type OutgoingEmail } from './outbox.repository.js';

/** Queues an email in the caller's transaction (`db`), using the site's clock and domain. */
export function queueEmail(ctx: AppContext, db: DbOrTrx, email: OutgoingEmail): Promise<number | undefined> {
  return enqueueEmail(db, email, ctx.clock.now(), new URL(ctx.config.publicUrl).hostname);
}
