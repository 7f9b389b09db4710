/** After the invite: the Invited directory, revoke and resend (admins and the community's leaders). */
import type { InvitationEmailStatus, MembershipSource } from '../../shared/enums.js';
import { Readable } from 'node:stream';
import { invitationEmailStatuses } from '../../shared/enums.js';
import {
  invitationStandings,
  invitedSources,
  type InvitationStanding,
  type InvitedCounts,
  type InvitedMember,
  type InvitedMembersPage,
} from '../../shared/invitations.js';
import { csvLine } from '../http/csv.js';
import { limits } from '../../shared/limits.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { Caller } from '../http/caller.js';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import {
  closeInvitation,
  countInvited,
  countInvitedGroups,
  findMembership,
  type InvitedFilter,
  type InvitedGroupCount,
  markRevokedBy,
  reopenRevokedInvitation,
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
  requeueRevokedEmail,
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
  return row.ended_by === 'decline' ? 'declined' : row.ended_by === 'revoke' ? 'revoked' : 'expired';
}

/**
 * A leader sees no site status (docs/decisions.md, "A leader's invite answer does not tell a
 * person's site status"); site admins do.
 */
function toInvitedMember(row: InvitedRow, isAdmin: boolean): InvitedMember {
  const inviterName = `${row.inviter_first_name ?? ''} ${row.inviter_last_name ?? ''}`.trim() || row.inviter_email;
  return {
    personId: row.person_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: isAdmin ? row.status : null,
    invitedAt: row.invited_at,
    invitedBy: row.invited_by === null ? null : { id: row.invited_by, name: inviterName || 'Someone' },
    source: row.source as MembershipSource,
    emailStatus: row.email_status as InvitationEmailStatus | null,
    emailedAt: row.emailed_at,
    resendAllowedAt: row.state === 'invited' || row.state === 'dismissed' ? resendAllowedAt(row) : null,
    invitation: standingOf(row),
    expiresAt: row.expires_at,
    revokedAt: row.ended_by === 'revoke' ? row.revoked_at : null,
  };
}

export interface InvitedListOptions {
  readonly q?: string;
  readonly state?: InvitationStanding;
  readonly email?: InvitedFilter['emailStatus'];
  readonly source?: InvitedFilter['source'];
}

function filterOf(options: InvitedListOptions): InvitedFilter {
  return { standing: options.state, emailStatus: options.email, source: options.source };
}

/** Every filter value's count given the other filters, from the grouped counts. */
export function invitedCounts(groups: readonly InvitedGroupCount[], filter: InvitedFilter): InvitedCounts {
  const sum = (keep: (g: InvitedGroupCount) => boolean) => groups.reduce((n, g) => (keep(g) ? n + g.n : n), 0);
  const emailOk = (g: InvitedGroupCount) => filter.emailStatus === undefined || g.emailStatus === filter.emailStatus;
  const sourceOk = (g: InvitedGroupCount) => filter.source === undefined || g.source === filter.source;
  const standingOk = (g: InvitedGroupCount) =>
    filter.standing === undefined ? g.standing !== 'revoked' : g.standing === filter.standing;
  const state = Object.fromEntries(
    invitationStandings.map((s) => [s, sum((g) => g.standing === s && emailOk(g) && sourceOk(g))]),
  ) as Record<InvitationStanding, number>;
  return {
    state: { ...state, listed: state.open + state.declined + state.expired },
    email: Object.fromEntries(
      invitationEmailStatuses.map((e) => [e, sum((g) => g.emailStatus === e && standingOk(g) && sourceOk(g))]),
    ) as InvitedCounts['email'],
    source: Object.fromEntries(
      invitedSources.map((src) => [src, sum((g) => g.source === src && standingOk(g) && emailOk(g))]),
    ) as InvitedCounts['source'],
  };
}

export async function listInvitedMembers(
  ctx: AppContext,
  caller: Caller,
  communityId: number,
  options: InvitedListOptions & { cursor?: string; limit?: number },
): Promise<InvitedMembersPage> {
  await getManagedCommunity(ctx.db, caller.person, communityId);
  const limit = Math.min(Math.max(options.limit ?? limits.pageSize, 1), 200);
  const filter = filterOf(options);
  const rows = await listInvitedRows(ctx.db, communityId, {
    q: options.q,
    after: decodeInvitedCursor(options.cursor),
    limit: limit + 1,
    filter,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const counts = invitedCounts(await countInvitedGroups(ctx.db, communityId), filter);
  return {
    items: page.map((r) => toInvitedMember(r, caller.person.is_admin === 1)),
    nextCursor: rows.length > limit && last ? encodeCursor([last.invited_at ?? 0, last.person_id]) : null,
    total: await countInvited(ctx.db, communityId),
    counts,
  };
}

const csvPage = 1_000;

/**
 * The Invited directory as CSV (the same filters and search), streamed page by page along the
 * list's keyset; cells are formula-escaped. Site status is a column for site admins only.
 */
export async function invitedCsvStream(
  ctx: AppContext,
  caller: Caller,
  communityId: number,
  options: InvitedListOptions,
): Promise<Readable> {
  await getManagedCommunity(ctx.db, caller.person, communityId);
  const isAdmin = caller.person.is_admin === 1;
  const filter = filterOf(options);
  const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
  async function* lines(): AsyncGenerator<string> {
    yield `\uFEFF${csvLine([
      'First name',
      'Last name',
      'Email',
      ...(isAdmin ? ['Site status'] : []),
      'Invitation',
      'Invited by',
      'Invited at',
      'Source',
      'Email state',
      'Emailed at',
      'Expires at',
      'Revoked at',
    ])}`;
    let after: InvitedCursor | undefined;
    for (;;) {
      const rows = await listInvitedRows(ctx.db, communityId, { q: options.q, after, limit: csvPage, filter });
      if (!rows.length) return;
      let chunk = '';
      for (const row of rows) {
        const m = toInvitedMember(row, isAdmin);
        chunk += csvLine([
          m.firstName,
          m.lastName,
          m.email,
          ...(isAdmin ? [m.status] : []),
          m.invitation,
          m.invitedBy?.name ?? '',
          iso(m.invitedAt),
          m.source,
          m.emailStatus ?? '',
          iso(m.emailedAt),
          iso(m.expiresAt),
          iso(m.revokedAt),
        ]);
      }
      yield chunk;
      if (rows.length < csvPage) return;
      const last = rows[rows.length - 1];
      after = { invitedAt: last.invited_at ?? 0, personId: last.person_id };
    }
  }
  return Readable.from(lines());
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
    await markRevokedBy(trx, communityId, personId, caller.person.id, now);
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
 * Undoes a revoke the caller made in the last minute: the invitation is open again, and an email
 * the revoke stopped before it left is queued again. Anything else (another person's revoke, an
 * older one, an invitation that moved since) is refused with `revoke_undo_unavailable`.
 */
export async function undoRevokeInvitation(
  ctx: AppContext,
  caller: Caller,
  communityId: number,
  personId: number,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await getManagedCommunity(trx, caller.person, communityId);
    const now = ctx.clock.now();
    const membership = await findMembership(trx, communityId, personId);
    if (!membership) throw notFound('Invitation');
    if (!(await reopenRevokedInvitation(trx, communityId, personId, caller.person.id, now - limits.revokeUndoMs, now)))
      throw new AppError('revoke_undo_unavailable');
    if (membership.email_outbox_id !== null) await requeueRevokedEmail(trx, membership.email_outbox_id, now);
    await recordAudit(
      trx,
      {
        actorId: caller.person.id,
        action: 'invitation.revoke_undone',
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
