/**
 * The inviter's daily email quota (site settings `leaderDailyEmailQuota`, `adminDailyEmailQuota`):
 * invitation emails queued by one person over a rolling 24 hours, resends included. Batches that
 * send no email use none of it.
 */
import type { InviteQuota } from '../../shared/invitations.js';
import type { Caller } from '../http/caller.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { PersonRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { getManagedCommunity } from '../memberships/index.js';
import { getSiteSettings } from '../site/site-settings.service.js';
import { countInvitationEmailsSince } from './invitation.repository.js';

const dayMs = 24 * 60 * 60 * 1000;

/** The quota of this inviter now: admins get the admin quota, leaders the leader quota. */
export async function readInviteQuota(
  db: DbOrTrx,
  inviter: Pick<PersonRow, 'id' | 'is_admin'>,
  now: number,
): Promise<InviteQuota> {
  const settings = await getSiteSettings(db);
  const limit = inviter.is_admin ? settings.adminDailyEmailQuota : settings.leaderDailyEmailQuota;
  const used = await countInvitationEmailsSince(db, inviter.id, now - dayMs);
  return { limit, used, remaining: Math.max(limit - used, 0) };
}

/** Refuses (429 invitation_quota_exceeded) a batch that would queue more emails than are left today. */
export function assertWithinQuota(quota: InviteQuota, requested: number): void {
  if (requested === 0 || quota.used + requested <= quota.limit) return;
  throw new AppError(
    'invitation_quota_exceeded',
    `This would send ${requested.toLocaleString('en-US')} invitation emails; you have ${quota.remaining.toLocaleString('en-US')} left today (limit ${quota.limit.toLocaleString('en-US')} a day). Send fewer emails, or invite without email.`,
    { limit: quota.limit, used: quota.used, requested },
  );
}

/** GET /api/communities/:id/invite-quota: the caller's quota, for a community they may invite to. */
export async function getInviteQuota(ctx: AppContext, caller: Caller, communityId: number): Promise<InviteQuota> {
  await getManagedCommunity(ctx.db, caller.person, communityId);
  return readInviteQuota(ctx.db, caller.person, ctx.clock.now());
}
