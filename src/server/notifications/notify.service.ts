/**
 * The notifications sent at once, each queued in the transaction of the change that causes it:
 * a join request (to the leaders who chose to hear at once), a request approved and an account
 * approved (to the person, unless they turned that kind off). The leaders' and admins' daily
 * digests are in digest.service.ts.
 */
import { notificationKindModes, type NotificationKind } from '../../shared/notifications.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow, PersonRow } from '../db/schema.js';
import { queueEmail } from '../email/outbox.service.js';
import { listLeadersNotifiedAtOnce } from '../memberships/index.js';
import type { AccountApprovedPayload, JoinRequestPayload, RequestApprovedPayload } from './notification.email.js';
import { findPersonById } from '../people/person.repository.js';
import { findNotificationMode } from './notification-setting.repository.js';

type Named = Pick<PersonRow, 'first_name' | 'last_name' | 'email'>;

/** How an email names a person: their name, else their address (people invited by address alone have no name). */
export function displayName(p: Named): string {
  return `${p.first_name} ${p.last_name}`.trim() || p.email || 'Someone';
}

/** The person's mode for a kind, their choice or the kind's default. */
export async function notificationModeOf(db: DbOrTrx, personId: number, kind: NotificationKind) {
  return (await findNotificationMode(db, personId, kind)) ?? notificationKindModes[kind].default;
}

/**
 * Notification emails are transactional in the outbox's terms: an unsubscribe from invitations
 * (the marketing suppression) does not stop them; each kind's own setting does, and is read here.
 */
const category = 'transactional';

/** Someone asked to join: the community's leaders who hear at once get an email each. */
export async function notifyJoinRequest(
  ctx: AppContext,
  trx: DbOrTrx,
  community: Pick<CommunityRow, 'id' | 'name'>,
  requesterId: number,
): Promise<void> {
  const leaders = await listLeadersNotifiedAtOnce(trx, community.id);
  const requester = leaders.length > 0 ? await findPersonById(trx, requesterId) : undefined;
  if (!requester) return;
  const now = ctx.clock.now();
  for (const leader of leaders) {
    const payload: JoinRequestPayload = {
      personId: leader.id,
      communityId: community.id,
      communityName: community.name,
      requesterName: displayName(requester),
    };
    await queueEmail(ctx, trx, {
      dedupeKey: `notification_join_request:${community.id}:${requester.id}:${leader.id}:${now}`,
      to: leader.email,
      template: 'notification_join_request',
      payload: { ...payload },
      category,
    });
  }
}

/** A leader approved the person's request to join. */
export async function notifyRequestApproved(
  ctx: AppContext,
  trx: DbOrTrx,
  community: Pick<CommunityRow, 'id' | 'name'>,
  person: Pick<PersonRow, 'id' | 'email'>,
): Promise<void> {
  if (!person.email || (await notificationModeOf(trx, person.id, 'request_approved')) === 'off') return;
  const now = ctx.clock.now();
  const payload: RequestApprovedPayload = {
    personId: person.id,
    communityId: community.id,
    communityName: community.name,
  };
  await queueEmail(ctx, trx, {
    dedupeKey: `notification_request_approved:${community.id}:${person.id}:${now}`,
    to: person.email,
    template: 'notification_request_approved',
    payload: { ...payload },
    category,
  });
}

/** A site admin approved the person's account (pending → active). */
export async function notifyAccountApproved(
  ctx: AppContext,
  trx: DbOrTrx,
  person: Pick<PersonRow, 'id' | 'email'>,
): Promise<void> {
  if (!person.email || (await notificationModeOf(trx, person.id, 'account_approved')) === 'off') return;
  const payload: AccountApprovedPayload = { personId: person.id };
  await queueEmail(ctx, trx, {
    dedupeKey: `notification_account_approved:${person.id}:${ctx.clock.now()}`,
    to: person.email,
    template: 'notification_account_approved',
    payload: { ...payload },
    category,
  });
}
