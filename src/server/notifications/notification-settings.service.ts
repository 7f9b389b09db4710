/**
 * A person's notification settings (their own, from the profile page) and the per-kind
 * unsubscribe link, which turns one kind off for the person the link was made for.
 */
import {
  type MyNotifications,
  type NotificationKind,
  notificationKindModes,
  notificationKinds,
  type NotificationMode,
  notificationSettingKeys,
  notificationSettingsSchema,
  type NotificationSettings,
  type NotificationSettingsPatch,
  type NotificationUnsubscribeStatus,
} from '../../shared/notifications.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import { AppError } from '../errors.js';
import type { Caller } from '../http/caller.js';
import { maskEmail } from '../log.js';
import { leadsAnyCommunity } from '../memberships/index.js';
import { findPersonById } from '../people/person.repository.js';
import { openNotificationUnsubscribeToken } from './notification-link.js';
import { listNotificationSettings, setNotificationModes } from './notification-setting.repository.js';

async function settingsOf(db: DbOrTrx, personId: number): Promise<NotificationSettings> {
  const chosen = new Map((await listNotificationSettings(db, personId)).map((r) => [r.kind, r.mode]));
  const pick = (kind: NotificationKind): NotificationMode => {
    const mode = chosen.get(kind);
    const offered: readonly NotificationMode[] = notificationKindModes[kind].modes;
    // A mode the kind no longer offers reads as the default.
    return mode && offered.includes(mode) ? mode : notificationKindModes[kind].default;
  };
  return notificationSettingsSchema.parse(
    Object.fromEntries(notificationKinds.map((kind) => [notificationSettingKeys[kind], pick(kind)])),
  );
}

async function myNotifications(db: DbOrTrx, caller: Caller): Promise<MyNotifications> {
  const { person } = caller;
  const relevant = notificationKinds.filter((kind) => {
    if (kind === 'join_requests') return false;
    if (kind === 'approval_queue') return person.is_admin === 1;
    if (kind === 'account_approved') return person.status === 'pending';
    return true;
  });
  if (await leadsAnyCommunity(db, person.id)) relevant.unshift('join_requests');
  return { settings: await settingsOf(db, person.id), relevant };
}

export function getMyNotifications(ctx: AppContext, caller: Caller): Promise<MyNotifications> {
  return myNotifications(ctx.db, caller);
}

/** Sets some of the caller's own settings; answers all of them. */
export async function updateMyNotifications(
  ctx: AppContext,
  caller: Caller,
  patch: NotificationSettingsPatch,
): Promise<MyNotifications> {
  return ctx.db.transaction().execute(async (trx) => {
    const modes = notificationKinds.flatMap((kind) => {
      const mode = patch[notificationSettingKeys[kind]];
      return mode === undefined ? [] : [{ kind, mode }];
    });
    await setNotificationModes(trx, caller.person.id, modes, ctx.clock.now());
    return myNotifications(trx, caller);
  });
}

async function subjectOf(ctx: AppContext, token: string) {
  const opened = openNotificationUnsubscribeToken(ctx.config, token);
  const person = opened && (await findPersonById(ctx.db, opened.personId));
  if (!opened || !person) throw new AppError('unsubscribe_link_invalid');
  return { kind: opened.kind, person };
}

export async function getNotificationUnsubscribeStatus(
  ctx: AppContext,
  token: string,
): Promise<NotificationUnsubscribeStatus> {
  const { kind, person } = await subjectOf(ctx, token);
  return {
    kind,
    email: maskEmail(person.email ?? ''),
    unsubscribed: (await settingsOf(ctx.db, person.id))[notificationSettingKeys[kind]] === 'off',
  };
}

/** Turns the link's kind off for its person; the other kinds and invitations are left as they are. */
export async function unsubscribeFromNotifications(
  ctx: AppContext,
  token: string,
): Promise<NotificationUnsubscribeStatus> {
  const { kind, person } = await subjectOf(ctx, token);
  await setNotificationModes(ctx.db, person.id, [{ kind, mode: 'off' }], ctx.clock.now());
  return { kind, email: maskEmail(person.email ?? ''), unsubscribed: true };
}
