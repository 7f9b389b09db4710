/** The admin's site settings (`GET` / `PATCH /api/admin/settings`): how long invitations stay open and when reminders go. */
import { z } from 'zod';

/** The longest expiry and reminder delay an admin may set: ten years, in days. */
export const maxSettingDays = 3650;
const days = z.number().int().min(1).max(maxSettingDays);

export const siteSettingsSchema = z.object({
  /** how many days an invitation stays open; null: invitations never expire */
  invitationExpiryDays: days.nullable(),
  /** days after the invitation when a reminder is due (ascending, no repeats) */
  reminderDays: z.array(days).max(10),
  /** days before the expiry when a last reminder is due; null: none */
  reminderBeforeExpiryDays: days.nullable(),
});
export type SiteSettings = z.output<typeof siteSettingsSchema>;

/** A change to some of the settings; reminder days are sorted and de-duplicated when stored. */
export const siteSettingsPatchSchema = siteSettingsSchema.partial().strict();
export type SiteSettingsPatch = z.output<typeof siteSettingsPatchSchema>;

export const defaultSiteSettings: Readonly<SiteSettings> = Object.freeze({
  invitationExpiryDays: 30,
  reminderDays: [3, 10],
  reminderBeforeExpiryDays: 2,
});
