/** A person's notification settings (a row per kind they chose) and the people the digests go to. */
import type { NotificationKind, NotificationMode } from '../../shared/notifications.js';
import type { DbOrTrx } from '../db/db.js';

export async function listNotificationSettings(
  db: DbOrTrx,
  personId: number,
): Promise<{ kind: NotificationKind; mode: NotificationMode }[]> {
  return db.selectFrom('notification_setting').select(['kind', 'mode']).where('person_id', '=', personId).execute();
}

/** The person's chosen mode for a kind, or undefined when they have not chosen (the kind's default). */
export async function findNotificationMode(
  db: DbOrTrx,
  personId: number,
  kind: NotificationKind,
): Promise<NotificationMode | undefined> {
  const row = await db
    .selectFrom('notification_setting')
    .select('mode')
    .where('person_id', '=', personId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row?.mode;
}

export async function setNotificationModes(
  db: DbOrTrx,
  personId: number,
  modes: readonly { readonly kind: NotificationKind; readonly mode: NotificationMode }[],
  now: number,
): Promise<void> {
  if (modes.length === 0) return;
  await db
    .insertInto('notification_setting')
    .values(modes.map(({ kind, mode }) => ({ person_id: personId, kind, mode, updated_at: now })))
    .onConflict((oc) =>
      oc.columns(['person_id', 'kind']).doUpdateSet((eb) => ({
        mode: eb.ref('excluded.mode'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
