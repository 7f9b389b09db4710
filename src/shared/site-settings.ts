/** Site settings an admin changes at `GET`/`PATCH /api/admin/settings`. */
import { z } from 'zod';

/** The longest invitation expiry and reminder delay an admin may set: ten years, in days. */
export const maxSettingDays = 3650;

export const siteSettingsSchema = z.object({
  /** whether a verified address that Convene does not know becomes a (pending) person */
  signupOpen: z.boolean(),
  /** invitation emails one leader may have sent per rolling 24 hours */
  leaderDailyEmailQuota: z.number().int().min(0).max(100_000),
  /** invitation emails one admin may have sent per rolling 24 hours */
  adminDailyEmailQuota: z.number().int().min(0).max(1_000_000),
  /** whether leaders may invite addresses that have no account (which creates site people) */
  leadersMayInviteNewPeople: z.boolean(),
  /** days that sent emails and audit events are kept before the purge job deletes them */
  logRetentionDays: z.number().int().min(1).max(3650),
  /** how many days an invitation stays open; null: invitations never expire */
  invitationExpiryDays: z.number().int().min(1).max(maxSettingDays).nullable(),
  /** days after the invitation when a reminder is due (stored ascending, without repeats) */
  reminderDays: z.array(z.number().int().min(1).max(maxSettingDays)).max(10),
  /** days before the expiry when a last reminder is due; null: none */
  reminderBeforeExpiryDays: z.number().int().min(1).max(maxSettingDays).nullable(),
});
export type SiteSettings = z.infer<typeof siteSettingsSchema>;

export const siteSettingsPatchSchema = siteSettingsSchema.partial().strict();
export type SiteSettingsPatch = z.infer<typeof siteSettingsPatchSchema>;

export const defaultSiteSettings: SiteSettings = Object.freeze({
  signupOpen: true,
  leaderDailyEmailQuota: 500,
  adminDailyEmailQuota: 5_000,
  leadersMayInviteNewPeople: true,
  logRetentionDays: 90,
  invitationExpiryDays: 30,
  reminderDays: [3, 10],
  reminderBeforeExpiryDays: 2,
});
