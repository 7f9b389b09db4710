/**
 * The reminder schedule of an invitation, as the site settings give it: a reminder `reminderDays`
 * after the invitation, and one `reminderBeforeExpiryDays` before it expires. A reminder falls
 * strictly before the expiry; an invitation that never expires has only the days after.
 * The sweep computes the same rule in SQL (memberships' invitation-reminder.repository.ts).
 */
import type { SiteSettings } from '../../shared/site-settings.js';

export type ReminderSchedule = Pick<SiteSettings, 'reminderDays' | 'reminderBeforeExpiryDays'>;

export const dayMs = 24 * 60 * 60 * 1000;

/**
 * When the next reminder of an invitation made at `invitedAt` (expiring at `expiresAt`, null:
 * never) is due strictly after `after`; null when the schedule has none left.
 */
export function nextReminderAt(
  schedule: ReminderSchedule,
  invitedAt: number,
  expiresAt: number | null,
  after: number,
): number | null {
  const points = schedule.reminderDays.map((d) => invitedAt + d * dayMs);
  if (expiresAt !== null && schedule.reminderBeforeExpiryDays !== null)
    points.push(expiresAt - schedule.reminderBeforeExpiryDays * dayMs);
  let next: number | null = null;
  for (const p of points) {
    if (p > after && (expiresAt === null || p < expiresAt) && (next === null || p < next)) next = p;
  }
  return next;
}
