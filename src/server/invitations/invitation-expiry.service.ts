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
  countDueExpiries,
  expireDueInvitations,
  expireDueInvitationsInTableOrder,
  type TableKey,
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
  /**
   * From how many due rows on the sweep walks the table in its own order instead of the due
   * index (memberships' table-walk.repository.ts); 0: always.
   */
  readonly tableOrderFrom?: number;
}

/**
 * With 10,000 or more due, the sweeps walk the table: a full walk of a 1,000,000-row table costs
 * about what writing a few thousand rows scattered over it costs.
 */
export const sweepTableOrderFrom = 10_000;

/**
 * Expires every open invitation whose time has come, batch after batch, each batch its own
 * statement, its size following the time batches take: a sweep stopped half-way leaves the rest
 * for the next one. Few due: soonest first, through the expiry index; many: in the table's own
 * order (tableOrderFrom). Returns how many expired.
 */
export async function sweepExpiredInvitations(ctx: AppContext, options: SweepOptions = {}): Promise<number> {
  const sizer = batchSizer(options.batchSize);
  let total = 0;
  const from = options.tableOrderFrom ?? sweepTableOrderFrom;
  if (from === 0 || (await countDueExpiries(ctx.db, ctx.clock.now(), from)) >= from) {
    let after: TableKey | undefined;
    for (;;) {
      options.signal?.throwIfAborted();
      const batch = await sizer.run((limit) => expireDueInvitationsInTableOrder(ctx.db, ctx.clock.now(), after, limit));
      total += batch.expired;
      if (!batch.last) return total;
      after = batch.last;
      await options.heartbeat?.();
    }
  }
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
