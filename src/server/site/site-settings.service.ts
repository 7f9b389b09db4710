/**
 * The admin's site settings: the invitation lifecycle's expiry and reminder schedule. Each
 * setting is one site_setting row (JSON); a setting never set, or stored in a shape this version
 * does not read, is its default.
 */
import type { z } from 'zod';
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
import { readSiteSettingValues, writeSiteSettingValues } from './site-setting.repository.js';

type Field = keyof SiteSettings;

/** Each setting's site_setting key. */
const keyOf: Readonly<Record<Field, string>> = Object.freeze({
  invitationExpiryDays: 'invitation_expiry_days',
  reminderDays: 'invitation_reminder_days',
  reminderBeforeExpiryDays: 'invitation_reminder_before_expiry_days',
});
const fields = Object.keys(keyOf) as Field[];

/** A stored JSON value read by `schema`; the fallback when absent or not in that shape. */
function storedOr<T>(schema: z.ZodType<T>, value: string | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

/** The site settings, each its default until an admin sets it. */
export async function readSiteSettings(db: DbOrTrx): Promise<SiteSettings> {
  const stored = await readSiteSettingValues(
    db,
    fields.map((f) => keyOf[f]),
  );
  const { shape } = siteSettingsSchema;
  const d = defaultSiteSettings;
  return {
    invitationExpiryDays: storedOr(
      shape.invitationExpiryDays,
      stored.get(keyOf.invitationExpiryDays),
      d.invitationExpiryDays,
    ),
    reminderDays: [...storedOr(shape.reminderDays, stored.get(keyOf.reminderDays), d.reminderDays)],
    reminderBeforeExpiryDays: storedOr(
      shape.reminderBeforeExpiryDays,
      stored.get(keyOf.reminderBeforeExpiryDays),
      d.reminderBeforeExpiryDays,
    ),
  };
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

/** Sets the settings given (admins; the route checks), audits the change, and answers them all. */
export async function updateSiteSettings(
  ctx: AppContext,
  caller: Caller,
  patch: SiteSettingsPatch,
): Promise<SiteSettings> {
  const normalized: SiteSettingsPatch = {
    ...patch,
    ...(patch.reminderDays ? { reminderDays: [...new Set(patch.reminderDays)].sort((a, b) => a - b) } : {}),
  };
  const values = new Map<string, string>();
  for (const field of fields) {
    const value = normalized[field];
    if (value !== undefined) values.set(keyOf[field], JSON.stringify(value));
  }
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    if (values.size) {
      await writeSiteSettingValues(trx, values, now);
      await recordAudit(
        trx,
        { actorId: caller.person.id, action: 'site.settings', targetType: 'site', targetId: null, details: normalized },
        now,
      );
    }
    return readSiteSettings(trx);
  });
}
