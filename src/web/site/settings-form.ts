/**
 * The site settings form: the settings as editable fields, the fields back as a PATCH body, and
 * the API's validation details as messages per field. Ranges are the API's to check; the form
 * only refuses what cannot be sent as a number at all.
 */
import type { SiteSettings, SiteSettingsPatch } from '../../shared/site-settings';

export interface SettingsDraft {
  readonly signupOpen: boolean;
  readonly leadersMayInviteNewPeople: boolean;
  readonly leaderDailyEmailQuota: number | string;
  readonly adminDailyEmailQuota: number | string;
  readonly logRetentionDays: number | string;
  /** false: invitations never expire */
  readonly invitationsExpire: boolean;
  readonly invitationExpiryDays: number | string;
  /** days after the invitation, as typed: "3, 10" */
  readonly reminderDays: string;
  /** false: no reminder before the expiry */
  readonly remindBeforeExpiry: boolean;
  readonly reminderBeforeExpiryDays: number | string;
}

export type SettingsField = keyof SiteSettings;
export type FieldErrors = Partial<Record<SettingsField, string>>;

export function draftOf(settings: SiteSettings): SettingsDraft {
  return {
    signupOpen: settings.signupOpen,
    leadersMayInviteNewPeople: settings.leadersMayInviteNewPeople,
    leaderDailyEmailQuota: settings.leaderDailyEmailQuota,
    adminDailyEmailQuota: settings.adminDailyEmailQuota,
    logRetentionDays: settings.logRetentionDays,
    invitationsExpire: settings.invitationExpiryDays !== null,
    // "never" keeps the last number of days offered, so switching back is one click
    invitationExpiryDays: settings.invitationExpiryDays ?? 30,
    reminderDays: settings.reminderDays.join(', '),
    remindBeforeExpiry: settings.reminderBeforeExpiryDays !== null,
    reminderBeforeExpiryDays: settings.reminderBeforeExpiryDays ?? 2,
  };
}

const wholeNumber = /^-?\d+$/;

function numberOf(value: number | string): number | undefined {
  const text = String(value).trim();
  return wholeNumber.test(text) ? Number(text) : undefined;
}

/** The PATCH body, or the fields that are not numbers at all. */
export function patchOf(draft: SettingsDraft): { patch: SiteSettingsPatch } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const need = (field: SettingsField, value: number | string): number => {
    const n = numberOf(value);
    if (n === undefined) errors[field] = 'Enter a whole number.';
    return n ?? 0;
  };
  const reminderWords = draft.reminderDays.split(/[\s,;]+/).filter(Boolean);
  const reminderDays = reminderWords.map(numberOf);
  if (reminderDays.some((d) => d === undefined))
    errors.reminderDays = 'Enter whole numbers of days, separated by commas (for example 3, 10), or leave it empty.';
  const patch: SiteSettingsPatch = {
    signupOpen: draft.signupOpen,
    leadersMayInviteNewPeople: draft.leadersMayInviteNewPeople,
    leaderDailyEmailQuota: need('leaderDailyEmailQuota', draft.leaderDailyEmailQuota),
    adminDailyEmailQuota: need('adminDailyEmailQuota', draft.adminDailyEmailQuota),
    logRetentionDays: need('logRetentionDays', draft.logRetentionDays),
    invitationExpiryDays: draft.invitationsExpire ? need('invitationExpiryDays', draft.invitationExpiryDays) : null,
    reminderDays: reminderDays.filter((d): d is number => d !== undefined),
    reminderBeforeExpiryDays: draft.remindBeforeExpiry
      ? need('reminderBeforeExpiryDays', draft.reminderBeforeExpiryDays)
      : null,
  };
  return Object.keys(errors).length > 0 ? { errors } : { patch };
}

/** The API's `validation_failed` details (`[{ path, message }]`) as a message per field. */
export function fieldErrorsOf(details: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (!Array.isArray(details)) return errors;
  for (const item of details as { path?: unknown; message?: unknown }[]) {
    if (typeof item?.path !== 'string' || typeof item.message !== 'string') continue;
    const [field, index] = item.path.split('.');
    if (!field || errors[field as SettingsField]) continue;
    errors[field as SettingsField] = index === undefined ? item.message : `Day ${Number(index) + 1}: ${item.message}`;
  }
  return errors;
}
