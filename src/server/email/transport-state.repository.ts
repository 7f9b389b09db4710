/** The SMTP server's state as the senders last found it (one row), for the Email log's banner. */
import type { DbOrTrx } from '../db/db.js';
import type { EmailTransportStateRow } from '../db/schema.js';

const ROW_ID = 1;

export async function findEmailTransportState(db: DbOrTrx): Promise<EmailTransportStateRow | undefined> {
  return db.selectFrom('email_transport_state').selectAll().where('id', '=', ROW_ID).executeTakeFirst();
}

/**
 * Records that the server could not be reached. `unreachable_since` keeps the earliest time of
 * the outage when several senders report it; the error and the next probe are the latest.
 */
export async function recordEmailTransportUnreachable(
  db: DbOrTrx,
  report: { readonly at: number; readonly error: string; readonly nextProbeAt: number },
): Promise<void> {
  await db
    .insertInto('email_transport_state')
    .values({
      id: ROW_ID,
      unreachable_since: report.at,
      last_error: report.error,
      last_error_at: report.at,
      next_probe_at: report.nextProbeAt,
      updated_at: report.at,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        unreachable_since: eb.fn.coalesce('email_transport_state.unreachable_since', 'excluded.unreachable_since'),
        last_error: eb.ref('excluded.last_error'),
        last_error_at: eb.ref('excluded.last_error_at'),
        next_probe_at: eb.ref('excluded.next_probe_at'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** The server answered: the outage is over (the last error stays, with its time, for the record). */
export async function clearEmailTransportOutage(db: DbOrTrx, at: number): Promise<void> {
  await db
    .updateTable('email_transport_state')
    .set({ unreachable_since: null, next_probe_at: null, updated_at: at })
    .where('id', '=', ROW_ID)
    .where('unreachable_since', 'is not', null)
    .execute();
}
