/** Site settings rows: one `site_setting` row per key, the value as JSON text. */
import type { DbOrTrx } from '../db/db.js';

/** Storage keys: the settings' existing names in the table (sign-up's was `signup_open` first). */
export const settingKeys = {
  signupOpen: 'signup_open',
  leaderDailyEmailQuota: 'leader_daily_email_quota',
  adminDailyEmailQuota: 'admin_daily_email_quota',
  leadersMayInviteNewPeople: 'leaders_may_invite_new_people',
  logRetentionDays: 'log_retention_days',
  invitationExpiryDays: 'invitation_expiry_days',
  reminderDays: 'invitation_reminder_days',
  reminderBeforeExpiryDays: 'invitation_reminder_before_expiry_days',
} as const;

export async function readSettingValues(db: DbOrTrx, keys: readonly string[]): Promise<Map<string, unknown>> {
  const rows = await db.selectFrom('site_setting').select(['key', 'value']).where('key', 'in', keys).execute();
  const values = new Map<string, unknown>();
  for (const row of rows) {
    try {
      values.set(row.key, JSON.parse(row.value));
    } catch {
      // a hand-edited value that is not JSON: the default applies
    }
  }
  return values;
}

export async function writeSettingValue(db: DbOrTrx, key: string, value: unknown, now: number): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('site_setting')
    .values({ key, value: json, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now }))
    .execute();
}
