/**
 * Notification emails and a person's settings for them (`GET`/`PATCH /api/me/notifications`),
 * and the per-kind unsubscribe link's answer. Each kind has its own setting and its own
 * one-click unsubscribe; invitations are not a notification kind (they have their own unsubscribe).
 */
import { z } from 'zod';

/**
 * - `join_requests`: a leader hears of requests to join their communities (at once or in a daily digest)
 * - `request_approved`: a person hears that a leader approved their request to join
 * - `account_approved`: a person hears that a site admin approved their account
 * - `approval_queue`: a site admin gets a daily digest of people waiting for approval
 */
export const notificationKinds = ['join_requests', 'request_approved', 'account_approved', 'approval_queue'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const notificationModes = ['immediate', 'daily', 'off'] as const;
export type NotificationMode = (typeof notificationModes)[number];

/** The modes each kind offers, and the one a person has until they choose. */
export const notificationKindModes = {
  join_requests: { modes: ['immediate', 'daily', 'off'], default: 'daily' },
  request_approved: { modes: ['immediate', 'off'], default: 'immediate' },
  account_approved: { modes: ['immediate', 'off'], default: 'immediate' },
  approval_queue: { modes: ['daily', 'off'], default: 'daily' },
} as const satisfies Record<NotificationKind, { modes: readonly NotificationMode[]; default: NotificationMode }>;

const joinRequests = z.enum(notificationKindModes.join_requests.modes);
const requestApproved = z.enum(notificationKindModes.request_approved.modes);
const accountApproved = z.enum(notificationKindModes.account_approved.modes);
const approvalQueue = z.enum(notificationKindModes.approval_queue.modes);

/** Each kind's field in the settings object (the API's fields are camelCase). */
export const notificationSettingKeys = {
  join_requests: 'joinRequests',
  request_approved: 'requestApproved',
  account_approved: 'accountApproved',
  approval_queue: 'approvalQueue',
} as const satisfies Record<NotificationKind, string>;

/** A person's setting of every kind (the default where they have not chosen). */
export const notificationSettingsSchema = z.object({
  joinRequests: joinRequests,
  requestApproved: requestApproved,
  accountApproved: accountApproved,
  approvalQueue: approvalQueue,
});
export type NotificationSettings = z.output<typeof notificationSettingsSchema>;

/** GET /api/me/notifications: the settings, and the kinds that concern this person (leaders, admins, pending people). */
export const myNotificationsSchema = z.object({
  settings: notificationSettingsSchema,
  relevant: z.array(z.enum(notificationKinds)),
});
export type MyNotifications = z.output<typeof myNotificationsSchema>;

/** PATCH /api/me/notifications: one or more kinds, each to a mode that kind offers. */
export const notificationSettingsPatchSchema = notificationSettingsSchema
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'Give at least one notification setting.');
export type NotificationSettingsPatch = z.output<typeof notificationSettingsPatchSchema>;

export const notificationUnsubscribeParams = z.object({ token: z.string().min(3).max(600) });

/** The answer of the per-kind unsubscribe link (GET: where it stands; POST: after unsubscribing). */
export const notificationUnsubscribeStatusSchema = z.object({
  kind: z.enum(notificationKinds),
  /** the address, partly masked */
  email: z.string(),
  unsubscribed: z.boolean(),
});
export type NotificationUnsubscribeStatus = z.output<typeof notificationUnsubscribeStatusSchema>;
