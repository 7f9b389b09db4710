/** Site settings an admin changes at `GET`/`PATCH /api/admin/settings`. */
import { z } from 'zod';

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
});
