/**
 * The site-status transitions of the product table, enforced here: approve (with merge),
 * reject, deactivate, reactivate, grant or revoke admin. Each has a core that runs inside a
 * given transaction and returns an outcome instead of throwing (bulk jobs call it per row), and
 * a wrapper that opens the transaction and throws AppError for the HTTP API.
 */
import type { PersonStatus } from '../../shared/enums.js';
import { type ErrorCode, errorCatalogue } from '../../shared/errors.js';
import { limits } from '../../shared/limits.js';
import type { BulkApproveAnswer } from '../../shared/people.js';
import { recordAudit } from '../audit/audit.repository.js';
import { deletePersonSessions, revokePersonApiTokens } from '../auth/session.repository.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { PersonRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { approveLandingRequestsOfPerson, closeOpenMembershipsOfPerson } from '../memberships/index.js';
import { notifyAccountApproved } from '../notifications/notify.service.js';
import { mergePersonInto } from './person-merge.js';
import {
  deletePerson,
  findPersonById,
  findPersonByUniqueId,
  lockActiveAdminIds,
  lockPerson,
  normalizeUniqueId,
  personStatusEvent,
  updatePerson,
} from './person.repository.js';
import { queueWebhookEvent } from '../webhooks/webhook-event.repository.js';

/** Who acts: the admin (or job owner). `null` for the system itself. */
export interface Actor {
  readonly id: number;
}

export type StatusOutcome =
  | { readonly ok: true; readonly person: PersonRow; readonly changed: boolean; readonly mergedFrom?: number }
  | { readonly ok: false; readonly code: ErrorCode; readonly message?: string };

const fail = (code: ErrorCode, message?: string): StatusOutcome => ({ ok: false, code, message });

/** Throws the outcome's error, or returns the person. */
export function unwrapOutcome(outcome: StatusOutcome): PersonRow {
  if (!outcome.ok) throw new AppError(outcome.code, outcome.message);
  return outcome.person;
}

async function isLastActiveAdmin(db: DbOrTrx, person: PersonRow): Promise<boolean> {
  if (person.is_admin !== 1 || person.status !== 'active') return false;
  const admins = await lockActiveAdminIds(db);
  return admins.length <= 1 && admins.includes(person.id);
}

/**
 * Locks the person; when they are an admin, every active admin first. Two admins removing each
 * other then queue on the same locks in the same order (no deadlock on PostgreSQL), and the
 * second sees the first's change.
 */
async function lockForAdminChange(db: DbOrTrx, personId: number): Promise<PersonRow | undefined> {
  const peek = await findPersonById(db, personId);
  if (peek?.is_admin === 1) await lockActiveAdminIds(db);
  return lockPerson(db, personId);
}

/** active, pre-verified or invited → inactive; ends sessions, closes invitations. */
export async function deactivatePersonInTrx(
  ctx: AppContext,
  db: DbOrTrx,
  actor: Actor | null,
  personId: number,
): Promise<StatusOutcome> {
  const person = await lockForAdminChange(db, personId);
  if (!person) return fail('not_found', 'Person not found.');
  if (person.status === 'inactive') return { ok: true, person, changed: false };
  if (person.status === 'pending')
    return fail('invalid_status_transition', 'A pending person is approved or rejected, not deactivated.');
  if (await isLastActiveAdmin(db, person)) return fail('last_admin');
  const now = ctx.clock.now();
  await updatePerson(db, person.id, { status: 'inactive', updated_at: now });
  await queueWebhookEvent(db, now, personStatusEvent('person.deactivated', person, person.status));
  await deletePersonSessions(db, person.id);
  await revokePersonApiTokens(db, person.id, now);
  const closed = await closeOpenMembershipsOfPerson(db, person.id, now);
  await recordAudit(
    db,
    {
      actorId: actor?.id ?? null,
      action: 'person.deactivate',
      targetType: 'person',
      targetId: person.id,
      details: { from: person.status, closedInvitations: closed },
    },
    now,
  );
  return { ok: true, person: { ...person, status: 'inactive', updated_at: now }, changed: true };
}

/** The status an inactive person returns to: active if they ever were, else where they stood. */
function reactivatedStatus(person: PersonRow): PersonStatus {
  if (person.activated_at !== null) return 'active';
  return person.preverification_id !== null ? 'pre_verified' : 'invited';
}

/** inactive → active (or back to pre-verified/invited if they never signed in). Invitations stay closed. */
export async function reactivatePersonInTrx(
  ctx: AppContext,
  db: DbOrTrx,
  actor: Actor | null,
  personId: number,
): Promise<StatusOutcome> {
  const person = await lockPerson(db, personId);
  if (!person) return fail('not_found', 'Person not found.');
  if (person.status !== 'inactive') {
    return person.status === 'pending'
      ? fail('invalid_status_transition', 'A pending person is approved, not reactivated.')
      : { ok: true, person, changed: false };
  }
  const now = ctx.clock.now();
  const status = reactivatedStatus(person);
  await updatePerson(db, person.id, { status, updated_at: now });
  if (status === 'active') await queueWebhookEvent(db, now, personStatusEvent('person.activated', person, 'inactive'));
  await recordAudit(
    db,
    {
      actorId: actor?.id ?? null,
      action: 'person.reactivate',
      targetType: 'person',
      targetId: person.id,
      details: { to: status },
    },
    now,
  );
  return { ok: true, person: { ...person, status, updated_at: now }, changed: true };
}

/**
 * pending → active. With a Unique ID: a pre-verified record holding it absorbs the pending
 * person (one person, nothing lost); any other record holding it is a conflict.
 */
export async function approvePersonInTrx(
  ctx: AppContext,
  db: DbOrTrx,
  actor: Actor | null,
  personId: number,
  options: { uniqueId?: string | null } = {},
): Promise<StatusOutcome> {
  const person = await lockPerson(db, personId);
  if (!person) return fail('not_found', 'Person not found.');
  if (person.status !== 'pending') return fail('invalid_status_transition', 'Only pending people can be approved.');
  const now = ctx.clock.now();
  const uniqueId = normalizeUniqueId(options.uniqueId);
  const holder = uniqueId ? await findPersonByUniqueId(db, uniqueId) : undefined;
  if (holder && holder.id !== person.id) {
    if (holder.status !== 'pre_verified')
      return fail(
        'unique_id_taken',
        `Unique ID ${uniqueId} belongs to another person who is ${holder.status.replace('_', '-')}.`,
      );
    const target = await lockPerson(db, holder.id);
    if (!target) return fail('not_found', 'Person not found.');
    const result = await mergePersonInto(db, person, target, now);
    // One person now: the pre-verified record, active with the pending person's email; the
    // event names the pending person it absorbed (their id is gone).
    await activate(db, target.id, now, target.status, { mergedFrom: person.id });
    await approveLandingRequestsOfPerson(db, target.id, now);
    await recordAudit(
      db,
      {
        actorId: actor?.id ?? null,
        action: 'person.approve',
        targetType: 'person',
        targetId: target.id,
        details: { mergedFrom: person.id, mergedEmail: person.email, previousEmail: target.email, uniqueId, ...result },
      },
      now,
    );
    const merged = await lockPerson(db, target.id);
    await notifyAccountApproved(ctx, db, merged ?? target);
    return { ok: true, person: merged ?? target, changed: true, mergedFrom: person.id };
  }
  if (uniqueId && !holder) await updatePerson(db, person.id, { unique_id: uniqueId });
  await activate(db, person.id, now, person.status);
  await approveLandingRequestsOfPerson(db, person.id, now);
  await recordAudit(
    db,
    {
      actorId: actor?.id ?? null,
      action: 'person.approve',
      targetType: 'person',
      targetId: person.id,
      details: uniqueId ? { uniqueId } : undefined,
    },
    now,
  );
  const approved = await lockPerson(db, person.id);
  await notifyAccountApproved(ctx, db, approved ?? person);
  return { ok: true, person: approved ?? person, changed: true };
}

async function activate(
  db: DbOrTrx,
  personId: number,
  now: number,
  from: PersonStatus,
  extra: Readonly<Record<string, unknown>> = {},
): Promise<void> {
  await updatePerson(db, personId, { status: 'active', activated_at: now, updated_at: now });
  const person = await findPersonById(db, personId);
  if (person)
    await queueWebhookEvent(
      db,
      now,
      personStatusEvent('person.activated', person, from, { email: person.email, ...extra }),
    );
}

/** pending → removed: the record is deleted (the address may sign up again later). */
export async function rejectPersonInTrx(
  ctx: AppContext,
  db: DbOrTrx,
  actor: Actor | null,
  personId: number,
): Promise<StatusOutcome> {
  const person = await lockPerson(db, personId);
  if (!person) return fail('not_found', 'Person not found.');
  if (person.status !== 'pending') return fail('invalid_status_transition', 'Only pending people can be rejected.');
  const now = ctx.clock.now();
  await deletePerson(db, person.id);
  await recordAudit(
    db,
    {
      actorId: actor?.id ?? null,
      action: 'person.reject',
      targetType: 'person',
      targetId: person.id,
      details: { email: person.email, firstName: person.first_name, lastName: person.last_name },
    },
    now,
  );
  return { ok: true, person, changed: true };
}

/** Grants or revokes site admin. Only active people become admins; the last active admin stays. */
export async function setPersonAdminInTrx(
  ctx: AppContext,
  db: DbOrTrx,
  actor: Actor | null,
  personId: number,
  isAdmin: boolean,
): Promise<StatusOutcome> {
  const person = await lockForAdminChange(db, personId);
  if (!person) return fail('not_found', 'Person not found.');
  if ((person.is_admin === 1) === isAdmin) return { ok: true, person, changed: false };
  if (isAdmin && person.status !== 'active')
    return fail('invalid_status_transition', 'Only active people can become site admins.');
  if (!isAdmin && (await isLastActiveAdmin(db, person))) return fail('last_admin');
  const now = ctx.clock.now();
  await updatePerson(db, person.id, { is_admin: isAdmin ? 1 : 0, updated_at: now });
  // Role loss ends the person's sessions at once: a session must not outlive the rights it was given with.
  if (!isAdmin) {
    await deletePersonSessions(db, person.id);
    await revokePersonApiTokens(db, person.id, now);
  }
  await recordAudit(
    db,
    {
      actorId: actor?.id ?? null,
      action: isAdmin ? 'person.admin_grant' : 'person.admin_revoke',
      targetType: 'person',
      targetId: person.id,
    },
    now,
  );
  return { ok: true, person: { ...person, is_admin: isAdmin ? 1 : 0, updated_at: now }, changed: true };
}

type Core<A extends unknown[]> = (
  ctx: AppContext,
  db: DbOrTrx,
  actor: Actor | null,
  personId: number,
  ...rest: A
) => Promise<StatusOutcome>;

function inTransaction<A extends unknown[]>(core: Core<A>) {
  return (ctx: AppContext, actor: Actor | null, personId: number, ...rest: A): Promise<PersonRow> =>
    ctx.db.transaction().execute(async (trx) => unwrapOutcome(await core(ctx, trx, actor, personId, ...rest)));
}

/** Deactivates one person in its own transaction; throws not_found, last_admin, invalid_status_transition. */
export const deactivatePerson = inTransaction(deactivatePersonInTrx);
export const reactivatePerson = inTransaction(reactivatePersonInTrx);
export const approvePerson = inTransaction(approvePersonInTrx);
export const rejectPerson = inTransaction(rejectPersonInTrx);
export const setPersonAdmin = inTransaction(setPersonAdminInTrx);

/**
 * Approves many pending people, each in its own transaction through the same core as a single
 * approve, so one that cannot be approved (no longer pending, gone) gets its own result and the
 * others go through. At most `limits.bulkApproveMax` ids; repeated ids count once.
 */
export async function approvePeople(
  ctx: AppContext,
  actor: Actor | null,
  ids: readonly number[],
): Promise<BulkApproveAnswer> {
  const unique = [...new Set(ids)];
  if (unique.length > limits.bulkApproveMax) throw new AppError('approve_too_many');
  const results: BulkApproveAnswer['results'] = [];
  for (const id of unique) {
    const outcome = await ctx.db.transaction().execute((trx) => approvePersonInTrx(ctx, trx, actor, id));
    results.push(
      outcome.ok
        ? { id, approved: true, error: null }
        : {
            id,
            approved: false,
            error: { code: outcome.code, message: outcome.message ?? errorCatalogue[outcome.code].message },
          },
    );
  }
  const approved = results.filter((r) => r.approved).length;
  return { results, approved, failed: results.length - approved };
}
