/**
 * inviteToCommunity: the direct invite of up to 250 recipients from a community's invite dialog. The whole
 * batch — new people, memberships, outbox rows and the idempotency answer — commits in one
 * transaction; each recipient gets its own outcome.
 */
import { emailProblem, type EmailListEntry, parseEmailList, splitDisplayName } from '../../shared/email-list.js';
import type { PersonStatus } from '../../shared/enums.js';
import {
  type InviteReason,
  type InviteRequest,
  type InviteResponse,
  type InviteResult,
  inviteMessages,
} from '../../shared/invitations.js';
import { limits } from '../../shared/limits.js';
import type { SiteSettings } from '../../shared/site-settings.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { Caller } from '../http/caller.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { findSavedAnswer, requestHash, saveAnswer } from './idempotency.repository.js';
import type { OutgoingEmail } from '../email/outbox.repository.js';
import { invitationEmail, queueInvitationEmails, unqueueInvitationEmails } from './invitation-email.js';
import {
  type InviteePerson,
  findPeopleByEmails,
  findOutboxCreatedAts,
  findPeopleByIds,
  findSuppressedEmails,
  insertInvitedPeople,
} from './invitation.repository.js';
import { findMemberships, getManagedCommunity, upsertInvitations } from '../memberships/index.js';
import { type RecipientOutcome, recipientOutcome } from './recipient.js';
import { assertWithinQuota, readInviteQuota } from './invitation-quota.service.js';
import { invitationExpiresAt, getSiteSettings } from '../site/site-settings.service.js';
import { isUniqueViolation, retryOnConflict } from './retry.js';
import { nextReminderAt } from './reminder-schedule.js';

interface Recipient {
  readonly email: string | null;
  readonly pastedName: string | null;
  person: InviteePerson | undefined;
  created: boolean;
  /** the person ID asked for, when picked by ID */
  readonly pickedId: number | null;
}

/** Normalizes the message: line breaks as \n, blank → null; over 2,000 characters refused. */
export function cleanMessage(message: string | undefined): string | null {
  const text = (message ?? '').replace(/\r\n?/g, '\n');
  if (text.length > limits.invitationMessageChars) {
    throw new AppError(
      'message_too_long',
      `The message may be at most ${limits.invitationMessageChars.toLocaleString('en-US')} characters (it has ${text.length.toLocaleString('en-US')}).`,
    );
  }
  return text.trim() ? text : null;
}

export async function inviteToCommunity(
  ctx: AppContext,
  caller: Caller,
  communityId: number,
  input: InviteRequest,
  idempotencyKey?: string,
): Promise<InviteResponse> {
  // The message travels in the invitation email: with sending off it is not kept either, so a
  // later Resend cannot deliver what the dialog said would not be (its length is still checked).
  const typed = cleanMessage(input.message);
  const message = input.sendEmail ? typed : null;
  const hash = idempotencyKey ? requestHash(`invite:${communityId}`, input) : '';
  const personId = caller.person.id;
  try {
    return await retryOnConflict(() =>
      ctx.db.transaction().execute(async (trx) => {
        if (idempotencyKey) {
          const saved = await findSavedAnswer<InviteResponse>(trx, personId, idempotencyKey, hash);
          if (saved) return saved.body;
        }
        const { community } = await getManagedCommunity(trx, caller.person, communityId);
        const response = await inviteBatch(ctx, trx, caller, community, input, message);
        await recordAudit(
          trx,
          {
            actorId: personId,
            action: 'invitation.invite',
            targetType: 'community',
            targetId: community.id,
            details: { ...response.summary, sendEmail: input.sendEmail, reminders: input.reminders !== false },
          },
          ctx.clock.now(),
        );
        if (idempotencyKey)
          await saveAnswer(trx, personId, idempotencyKey, hash, { statusCode: 200, body: response }, ctx.clock.now());
        return response;
      }),
    );
  } catch (error) {
    // A parallel request with the same key committed first: answer as it did.
    if (idempotencyKey && isUniqueViolation(error)) {
      const saved = await findSavedAnswer<InviteResponse>(ctx.db, personId, idempotencyKey, hash);
      if (saved) return saved.body;
    }
    throw error;
  }
}

async function collectRecipients(
  trx: DbOrTrx,
  input: InviteRequest,
): Promise<{ recipients: Recipient[]; invalid: readonly string[]; duplicatesMerged: number }> {
  const pickedIds = [...new Set(input.personIds ?? [])];
  const repeatedIds = (input.personIds?.length ?? 0) - pickedIds.length;
  const parsed = parseEmailList(input.emails ?? '');
  const picked = new Map((await findPeopleByIds(trx, pickedIds)).map((p) => [p.id, p]));
  const pickedEmails = new Set([...picked.values()].map((p) => p.email).filter((e): e is string => !!e));
  // A person picked by ID and also pasted counts once.
  const pasted = parsed.entries.filter((e) => !pickedEmails.has(e.email));
  const count = pickedIds.length + pasted.length;
  if (count > limits.invitationRecipients) {
    throw new AppError(
      'invitation_limit_exceeded',
      `At most ${limits.invitationRecipients} recipients per invitation; this one has ${count} after removing duplicates. Split it into smaller batches or use Data Tools.`,
      { limit: limits.invitationRecipients, count },
    );
  }
  if (count === 0 && parsed.invalid.length === 0) throw new AppError('no_recipients');

  const recipients: Recipient[] = pickedIds.map((id) => {
    const person = picked.get(id);
    return { email: person?.email ?? null, pastedName: null, person, created: false, pickedId: id };
  });
  const known = new Map(
    (
      await findPeopleByEmails(
        trx,
        pasted.map((e) => e.email),
      )
    ).map((p) => [p.email, p]),
  );
  for (const entry of pasted) {
    recipients.push({
      email: entry.email,
      pastedName: entry.name,
      person: known.get(entry.email),
      created: false,
      pickedId: null,
    });
  }
  return {
    recipients,
    invalid: parsed.invalid,
    duplicatesMerged: repeatedIds + parsed.duplicates + (parsed.entries.length - pasted.length),
  };
}

/** Creates people in status invited for the addresses the site does not know yet. */
async function createUnknownPeople(ctx: AppContext, trx: DbOrTrx, recipients: Recipient[]): Promise<void> {
  const unknown = recipients.filter((r) => !r.person && r.email && r.pickedId === null);
  if (!unknown.length) return;
  const entries: EmailListEntry[] = unknown.map((r) => ({ email: r.email as string, name: r.pastedName }));
  const created = await insertInvitedPeople(
    trx,
    entries.map((e) => ({ email: e.email, ...splitDisplayName(e.name) })),
    ctx.clock.now(),
  );
  const byEmail = new Map(created.map((p) => [p.email, p]));
  for (const r of unknown) {
    r.person = byEmail.get(r.email);
    r.created = !!r.person;
  }
  // Created by a parallel batch between our read and our insert: read them back.
  const missing = unknown.filter((r) => !r.person);
  if (missing.length) {
    const found = new Map(
      (
        await findPeopleByEmails(
          trx,
          missing.map((r) => r.email as string),
        )
      ).map((p) => [p.email, p]),
    );
    for (const r of missing) r.person = found.get(r.email);
  }
}

const displayName = (p: InviteePerson | undefined, fallback: string | null) =>
  (p ? `${p.first_name} ${p.last_name}`.trim() : '') || fallback || null;

function resultOf(r: Recipient, outcome: InviteResult['outcome'], reason: InviteReason): InviteResult {
  return {
    email: r.person?.email ?? r.email,
    personId: r.person?.id ?? r.pickedId,
    name: displayName(r.person, r.pastedName),
    outcome,
    reason,
    message: inviteMessages[reason],
    created: r.created,
  };
}

/**
 * What happens to each recipient, decided before anything is written: an address with no
 * account is judged as the invited person it would become. A recipient emailed for this
 * community less than an hour ago (even under an invitation since revoked) is invited with the
 * email held, and keeps that email's outbox row, so that the window holds across revoke and re-invite.
 */
async function decideRecipients(
  ctx: AppContext,
  trx: DbOrTrx,
  caller: Caller,
  community: CommunityRow,
  recipients: readonly Recipient[],
  sendEmail: boolean,
  settings: SiteSettings,
): Promise<(Decision | undefined)[]> {
  const now = ctx.clock.now();
  const isAdmin = caller.person.is_admin === 1;
  const newPeopleAllowed = isAdmin || settings.leadersMayInviteNewPeople;
  const known = recipients.flatMap((r) => (r.person ? [r.person] : []));
  const suppressed = await findSuppressedEmails(
    trx,
    recipients.flatMap((r) => ((r.person?.email ?? r.email) ? [(r.person?.email ?? r.email) as string] : [])),
  );
  const memberships = await findMemberships(
    trx,
    community.id,
    known.map((p) => p.id),
  );
  const lastEmailed = await findOutboxCreatedAts(
    trx,
    [...memberships.values()].flatMap((m) => (m.email_outbox_id === null ? [] : [m.email_outbox_id])),
  );
  return recipients.map((r): Decision | undefined => {
    if (!r.person) {
      if (!r.email || r.pickedId !== null) return undefined;
      if (!newPeopleAllowed) return { invite: false, outcome: 'skipped', reason: 'new_people_not_allowed' };
      return recipientOutcome({
        status: 'invited',
        hasEmail: true,
        membershipState: undefined,
        suppressed: suppressed.has(r.email),
        sendEmail,
      });
    }
    const person = r.person;
    const membership = memberships.get(person.id);
    const decideAs = (status: PersonStatus): Decision => {
      const d = recipientOutcome({
        status,
        hasEmail: !!person.email,
        membershipState: membership?.state,
        suppressed: !!person.email && suppressed.has(person.email),
        sendEmail,
      });
      const lastOutboxId = membership?.email_outbox_id ?? null;
      const lastAt = lastOutboxId === null ? undefined : lastEmailed.get(lastOutboxId);
      if (d.invite && d.emailStatus === 'queued' && lastAt !== undefined && now < lastAt + limits.resendIntervalMs)
        return { invite: true, emailStatus: 'not_sent', reason: 'email_held', keepOutboxId: lastOutboxId };
      return d;
    };
    const d = decideAs(person.status);
    // A leader may not learn a person's site status (pending, inactive) from the invite answer:
    // nothing is written for them, and the leader is shown what an active person would have got.
    if (!d.invite && !isAdmin && (d.reason === 'awaiting_site_approval' || d.reason === 'inactive')) {
      const asActive = decideAs('active');
      return { ...d, shown: asActive.invite ? { outcome: 'invited', reason: asActive.reason } : asActive };
    }
    return d;
  });
}

type Decision = RecipientOutcome & {
  readonly keepOutboxId?: number | null;
  /** what the caller is told instead of the real outcome (a leader, about a person they may not see) */
  readonly shown?: { readonly outcome: InviteResult['outcome']; readonly reason: InviteReason };
};

async function inviteBatch(
  ctx: AppContext,
  trx: DbOrTrx,
  caller: Caller,
  community: CommunityRow,
  input: InviteRequest,
  message: string | null,
): Promise<InviteResponse> {
  const now = ctx.clock.now();
  const { recipients, invalid, duplicatesMerged } = await collectRecipients(trx, input);
  const settings = await getSiteSettings(trx);
  const decisions = await decideRecipients(ctx, trx, caller, community, recipients, input.sendEmail, settings);
  const requested = decisions.filter((d) => d?.invite && d.emailStatus === 'queued').length;
  if (requested > 0) assertWithinQuota(await readInviteQuota(trx, caller.person, now), requested);
  await createUnknownPeople(
    ctx,
    trx,
    recipients.filter((_, i) => decisions[i]?.invite),
  );

  // Emails first, so that each membership row is written once with its outbox id.
  const emails = new Map<number, OutgoingEmail>();
  recipients.forEach((r, i) => {
    if (r.person && decisions[i]?.invite && decisions[i].emailStatus === 'queued') {
      emails.set(r.person.id, invitationEmail({ community, inviter: caller.person, invitee: r.person, message, now }));
    }
  });
  const outboxIds = await queueInvitationEmails(ctx, trx, [...emails.values()]);
  const outboxIdOf = (personId: number) => {
    const email = emails.get(personId);
    return email ? (outboxIds.get(email.dedupeKey) ?? null) : null;
  };
  const expiresAt = invitationExpiresAt(settings, input.expiresInDays, now);
  // Reminders follow an invitation email only: never a silent invitation, held or pre-verified.
  const firstReminder = input.reminders === false ? null : nextReminderAt(settings, now, expiresAt, now);
  const toInvite = recipients.flatMap((r, i) => {
    const d = decisions[i];
    if (!r.person || !d?.invite) return [];
    const outboxId = d.keepOutboxId ?? outboxIdOf(r.person.id);
    const emailed = d.emailStatus === 'queued' && emails.has(r.person.id);
    return [
      { personId: r.person.id, emailStatus: d.emailStatus, outboxId, nextReminderAt: emailed ? firstReminder : null },
    ];
  });
  const invited = await upsertInvitations(trx, community.id, caller.person.id, message, toInvite, now, expiresAt);
  // Rows a parallel batch invited or joined after our read keep that batch's outcome, and no email from us.
  const lost = toInvite.filter((i) => !invited.has(i.personId));
  await unqueueInvitationEmails(
    trx,
    lost.flatMap((i) => {
      const id = outboxIdOf(i.personId);
      return id === null ? [] : [id];
    }),
  );
  const current = lost.length
    ? await findMemberships(
        trx,
        community.id,
        lost.map((i) => i.personId),
      )
    : new Map();

  const results: InviteResult[] = [];
  for (const [i, r] of recipients.entries()) {
    const d = decisions[i];
    if (d?.shown) {
      results.push(resultOf(r, d.shown.outcome, d.shown.reason));
    } else if (d && !d.invite) {
      results.push(resultOf(r, d.outcome, d.reason));
    } else if (!r.person || !d) {
      results.push(resultOf(r, 'skipped', 'unknown_person'));
    } else if (!invited.has(r.person.id)) {
      const joined = current.get(r.person.id)?.state === 'joined';
      results.push(resultOf(r, joined ? 'skipped' : 'already_invited', joined ? 'already_member' : 'already_invited'));
    } else {
      results.push(resultOf(r, 'invited', d.reason));
    }
  }
  for (const text of invalid) {
    results.push({
      email: text,
      personId: null,
      name: null,
      outcome: 'skipped',
      reason: 'invalid_email',
      message: `${inviteMessages.invalid_email}: it ${emailProblem(text) ?? 'is not an email address'}`,
      created: false,
    });
  }
  return {
    summary: {
      recipients: results.length,
      invited: results.filter((r) => r.outcome === 'invited').length,
      emailed: results.filter((r) => r.reason === 'emailed').length,
      alreadyInvited: results.filter((r) => r.outcome === 'already_invited').length,
      skipped: results.filter((r) => r.outcome === 'skipped').length,
      duplicatesMerged,
    },
    results,
  };
}
