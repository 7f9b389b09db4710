/**
 * Invitations run out: the periodic sweep that expires them (the transition table's `expire`),
 * and a leader's or admin's extension of an open or an expired invitation.
 */
import { recordAudit } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import type { Caller } from '../http/caller.js';
import type { JobHandler } from '../jobs/job-handler.js';
import {
  expireDueInvitations,
  getManagedCommunity,
  reopenExpiredInvitation,
  setOpenInvitationExpiry,
} from '../memberships/index.js';
import { invitationExpiresAt, getSiteSettings } from '../site/site-settings.service.js';
import { batchSizer } from './sweep-batch.js';

export interface SweepOptions {
  /** a fixed batch size; absent, batches are sized by the time they take (sweep-batch.ts) */
  readonly batchSize?: number;
  /** called between batches (the job's lease) */
  readonly heartbeat?: () => Promise<void>;
  readonly signal?: AbortSignal;
}

/**
 * Expires every open invitation whose time has come, batch after batch, each batch its own
 * statement, its size following the time batches take: a sweep stopped half-way leaves the rest for the next one. Returns how many expired.
 */
export async function sweepExpiredInvitations(ctx: AppContext, options: SweepOptions = {}): Promise<number> {
  const sizer = batchSizer(options.batchSize);
  let total = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const size = sizer.size;
    const expired = await sizer.run((limit) => expireDueInvitations(ctx.db, ctx.clock.now(), limit));
    total += expired;
    if (expired < size) return total;
    await options.heartbeat?.();
  }
}

/** The `invitations.expire` job: the sweep, queued by every worker every few minutes. */
export const expireInvitationsJob: JobHandler<'invitations.expire'> = async (ctx, _payload, job) => {
  const expired = await sweepExpiredInvitations(ctx, { heartbeat: () => job.heartbeat(), signal: job.signal });
  if (expired) ctx.log.info({ expired }, 'invitations expired');
};

/**
 * Extends an open invitation, or opens an expired one again (without an email: Resend sends one),
 * for `days` from now (null: never; absent: the site's expiry). Returns the new expiry.
 */
export async function extendInvitation(
  ctx: AppContext,
  caller: Caller,
  communityId: number,
  personId: number,
  days: number | null | undefined,
): Promise<{ expiresAt: number | null }> {
  return ctx.db.transaction().execute(async (trx) => {
    await getManagedCommunity(trx, caller.person, communityId);
    const now = ctx.clock.now();
    const settings = await getSiteSettings(trx);
    const expiresAt = invitationExpiresAt(settings, days, now);
    const extended =
      (await setOpenInvitationExpiry(trx, communityId, personId, expiresAt, now, settings)) ||
      (await reopenExpiredInvitation(trx, communityId, personId, expiresAt, now, settings));
    if (!extended) throw notFound('Open or expired invitation');
    await recordAudit(
      trx,
      {
        actorId: caller.person.id,
        action: 'invitation.extend',
        targetType: 'membership',
        targetId: `${communityId}:${personId}`,
        details: { expiresAt },
      },
      now,
    );
    return { expiresAt };
  });
}
