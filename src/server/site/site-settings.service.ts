/** Site settings: every one has a default; an admin changes them, and each change is audited. */
import {
  defaultSiteSettings,
  type SiteSettings,
  type SiteSettingsPatch,
  siteSettingsSchema,
} from '../../shared/site-settings.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { Caller } from '../http/caller.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import { readSettingValues, settingKeys, writeSettingValue } from './site-settings.repository.js';

const names = Object.keys(settingKeys) as (keyof SiteSettings)[];

/** The settings as they are, a default for any not set (or not valid). */
export async function getSiteSettings(db: DbOrTrx): Promise<SiteSettings> {
  const values = await readSettingValues(db, Object.values(settingKeys));
  const settings: Record<string, unknown> = {};
  for (const name of names) {
    const field = siteSettingsSchema.shape[name].safeParse(values.get(settingKeys[name]));
    settings[name] = field.success ? field.data : defaultSiteSettings[name];
  }
  return settings as SiteSettings;
}

/** Writes the settings the patch names (the route checked that the caller is an admin). */
export async function updateSiteSettings(
  ctx: AppContext,
  caller: Caller,
  patch: SiteSettingsPatch,
): Promise<SiteSettings> {
  const now = ctx.clock.now();
  if (patch.reminderDays) patch = { ...patch, reminderDays: [...new Set(patch.reminderDays)].sort((a, b) => a - b) };
  await ctx.db.transaction().execute(async (trx) => {
    const before = await getSiteSettings(trx);
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const name of names) {
      const value = patch[name];
      if (value === undefined || JSON.stringify(value) === JSON.stringify(before[name])) continue;
      await writeSettingValue(trx, settingKeys[name], value, now);
      changed[name] = { from: before[name], to: value };
    }
    if (Object.keys(changed).length > 0)
      await recordAudit(
        trx,
        {
          actorId: caller.person.id,
          action: 'site.settings_update',
          targetType: 'site',
          targetId: null,
          details: changed,
        },
        now,
      );
  });
  return getSiteSettings(ctx.db);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When an invitation made at `now` expires: after `overrideDays` when given (null: never), else
 * after the site's invitationExpiryDays. Null: it never expires.
 */
export function invitationExpiresAt(
  settings: Pick<SiteSettings, 'invitationExpiryDays'>,
  overrideDays: number | null | undefined,
  now: number,
): number | null {
  const days = overrideDays === undefined ? settings.invitationExpiryDays : overrideDays;
  return days === null ? null : now + days * DAY_MS;
}
