/** A daily digest's progress (`notification_digest`): one row per kind and UTC day. */
import type { NotificationKind } from '../../shared/notifications.js';
import type { DbOrTrx } from '../db/db.js';
import type { NotificationDigestTable } from '../db/schema.js';

/** The day's digest row, made on first use. */
export async function startDigest(
  db: DbOrTrx,
  kind: NotificationKind,
  day: number,
  now: number,
): Promise<Pick<NotificationDigestTable, 'after_person_id' | 'done_at'>> {
  await db
    .insertInto('notification_digest')
    .values({ kind, day, after_person_id: 0, done_at: null, updated_at: now })
    .onConflict((oc) => oc.columns(['kind', 'day']).doNothing())
    .execute();
  return db
    .selectFrom('notification_digest')
    .select(['after_person_id', 'done_at'])
    .where('kind', '=', kind)
    .where('day', '=', day)
    .executeTakeFirstOrThrow();
}

/** Records the last recipient done, and whether the digest is finished. */
export async function advanceDigest(
  db: DbOrTrx,
  kind: NotificationKind,
  day: number,
  afterPersonId: number,
  done: boolean,
  now: number,
): Promise<void> {
  await db
    .updateTable('notification_digest')
    .set({ after_person_id: afterPersonId, done_at: done ? now : null, updated_at: now })
    .where('kind', '=', kind)
    .where('day', '=', day)
    .execute();
}

/** Drops the progress rows of days before `day` (kept a while for the record). */
export async function deleteDigestsBefore(db: DbOrTrx, day: number): Promise<number> {
  const res = await db.deleteFrom('notification_digest').where('day', '<', day).executeTakeFirst();
  return Number(res.numDeletedRows);
}
