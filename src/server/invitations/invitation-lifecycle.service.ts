/** After the invite: the Invited directory, revoke and resend (admins and the community's leaders). */
import type { InvitationEmailStatus, MembershipSource } from '../../shared/enums.js';
import type { InvitationStanding, InvitedMember, InvitedMembersPage } from '../../shared/invitations.js';
import { limits } from '../../shared/limits.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { Caller } from '../http/caller.js';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import {
  closeInvitation,
  countInvited,
  findMembership,
  getManagedCommunity,
  type InvitedCursor,
  type InvitedRow,
  listInvitedRows,
  setInvitationEmail,
  membershipAuditTarget,
} from '../memberships/index.js';
import { queueInvitationEmail } from './invitation-email.js';
import { assertWithinQuota, readInviteQuota } from './invitation-quota.service.js';
import {
  dropQueuedEmail,
  findOutboxCreatedAt,
  findPeopleByIds,
  findSuppressedEmails,
} from './invitation.repository.js';

function decodeInvitedCursor(value: string | undefined): InvitedCursor | undefined {
  if (!value) return undefined;
  const v = decodeCursor(value, ['integer', 'rowId']);
  if (!v) throw new AppError('bad_request', 'The cursor is not valid.');
  return { invitedAt: v[0], personId: v[1] };
}

/**
 * When Resend is allowed again; null when it never is (pre-verified, suppressed, no address). A
 * kept email (no SMTP server) reached no inbox, so the hour between emails does not apply to it.
 */
function resendAllowedAt(
  row: Pick<InvitedRow, 'status' | 'email' | 'email_status' | 'outbox_created_at'>,
): number | null {
  if (
    row.status === 'pre_verified' ||
    !row.email ||
    row.email_status === 'suppressed' ||
    row.email_status === 'pre_verified'
  )
    return null;
  return row.outbox_created_at === null || row.email_status === 'kept'
    ? 0
    : row.outbox_created_at + limits.resendIntervalMs;
}

function standingOf(row: Pick<InvitedRow, 'state' | 'ended_by'>): InvitationStanding {
  if (row.state === 'invited' || row.state === 'dismissed') return 'open';
  return row.ended_by === 'decline' ? 'declined' : 'expired';
}

function toInvitedMember(row: InvitedRow): InvitedMember {
  const inviterName = `${row.inviter_first_name ?? ''} ${row.inviter_last_name ?? ''}`.trim() || row.inviter_email;
  return {
    personId: row.person_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
    invitedAt: row.invited_at,
    invitedBy: row.invited_by === null ? null : { id: row.invited_by, name: inviterName || 'Someone' },
    source: row.source as MembershipSource,
    emailStatus: row.email_status as InvitationEmailStatus | null,
    emailedAt: row.emailed_at,
    resendAllowedAt: row.state === 'invited' || row.state === 'dismissed' ? resendAllowedAt(row) : null,
    invitation: standingOf(row),
    expiresAt: row.expires_at,
  };
}

export async function listInvitedMembers(
  ctx: AppContext,
  caller: Caller,
  communityId: number,
  options: { q?: string; cursor?: string; limit?: number },
): Promise<InvitedMembersPage> {
  await getManagedCommunity(ctx.db, caller.person, communityId);
  const limit = Math.min(Math.max(options.limit ?? limits.pageSize, 1), 200);
  const rows = await listInvitedRows(ctx.db, communityId, {
    q: options.q,
    after: decodeInvitedCursor(options.cursor),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toInvitedMember),
    nextCursor: rows.length > limit && last ? encodeCursor([last.invited_at ?? 0, last.person_id]) : null,
    total: await countInvited(ctx.db, communityId),
  };
}

/** Revokes an open invitation (state removed); a still-queued email is not sent. */
export async function revokeInvitation(
  ctx: AppContext,
  caller: Caller,
  communityId: number,
  personId: number,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await getManagedCommunity(trx, caller.person, communityId);
    const membership = await findMembership(trx, communityId, personId);
    const now = ctx.clock.now();
    if (!membership || !(await closeInvitation(trx, communityId, personId, 'revoke', now)))
      throw notFound('Open invitation');
    if (membership.email_outbox_id !== null) await dropQueuedEmail(trx, membership.email_outbox_id, now);
    await recordAudit(
      trx,
      {
        actorId: caller.person.id,
        action: 'invitation.revoke',
        ...membershipAuditTarget(communityId, personId),
      },
      now,
    );
  });
}

/**
 * Emails an open invitation again: at most once an hour (right away after a kept email, which
 * reached no inbox), never to pre-verified or suppressed people.
 */
export async function resendInvitation(
  ctx: AppContext,
  caller: Caller,
  communityId: number,
  personId: number,
): Promise<{ emailStatus: InvitationEmailStatus; resendAllowedAt: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const { community } = await getManagedCommunity(trx, caller.person, communityId);
    const membership = await findMembership(trx, communityId, personId);
    if (membership?.state !== 'invited') throw notFound('Open invitation');
    const [person] = await findPeopleByIds(trx, [personId]);
    if (!person) throw notFound('Person');
    if (person.status === 'pre_verified') {
      throw new AppError(
        'conflict',
        'Pre-verified people are never emailed an invitation: share their invite URL or use Data Tools.',
      );
    }
    if (!person.email) throw new AppError('conflict', 'This person has no email address.');
    if ((await findSuppressedEmails(trx, [person.email])).size > 0) {
      throw new AppError(
        'conflict',
        'This address is suppressed (unsubscribed or bouncing): no invitation email can be sent.',
      );
    }
    const now = ctx.clock.now();
    const lastQueued =
      membership.email_outbox_id === null || membership.email_status === 'kept'
        ? undefined
        : await findOutboxCreatedAt(trx, membership.email_outbox_id);
    if (lastQueued !== undefined && now < lastQueued + limits.resendIntervalMs) {
      const minutes = Math.ceil((lastQueued + limits.resendIntervalMs - now) / 60_000);
      throw new AppError(
        'resend_too_soon',
        `This invitation was emailed less than an hour ago. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        { retryAfterMs: lastQueued + limits.resendIntervalMs - now },
      );
    }
    assertWithinQuota(await readInviteQuota(trx, caller.person, now), 1);
    const outboxId = await queueInvitationEmail(ctx, trx, {
      community,
      inviter: caller.person,
      invitee: person,
      message: membership.message,
      now,
      kind: 'resend',
    });
    await setInvitationEmail(trx, communityId, personId, 'queued', outboxId ?? null, now);
    await recordAudit(
      trx,
      {
        actorId: caller.person.id,
        action: 'invitation.resend',
        ...membershipAuditTarget(communityId, personId),
      },
      now,
    );
    return { emailStatus: 'queued' as const, resendAllowedAt: now + limits.resendIntervalMs };
  });
}
