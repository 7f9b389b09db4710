/** The site_setting table: JSON values by key. */
import type { DbOrTrx } from '../db/db.js';

/** The stored values (JSON text) of `keys`; a key never set is absent. */
export async function readSiteSettingValues(db: DbOrTrx, keys: readonly string[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  const rows = await db
    .selectFrom('site_setting')
    .select(['key', 'value'])
    .where('key', 'in', [...keys])
    .execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** Sets each key's JSON value. */
export async function writeSiteSettingValues(
  db: DbOrTrx,
  values: ReadonlyMap<string, string>,
  now: number,
): Promise<void> {
  for (const [key, value] of values) {
    await db
      .insertInto('site_setting')
      .values({ key, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
  }
}
