/**
 * Pre-verification: a person the site knows before they sign in, with a Pre-verification ID and
 * a personal invite URL (`/invite/<token>`, 192 random bits, only its HMAC is stored).
 */
import type { ErrorCode } from '../../shared/errors.js';
import type { InviteWelcome } from '../../shared/people.js';
import { recordAudit } from '../audit/audit.repository.js';
import { hmac, randomToken } from '../crypto.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { PersonRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { findMemberTypeByName } from './member-type.repository.js';
import {
  findPersonByEmail,
  findPersonByInviteTokenHash,
  findPersonByUniqueId,
  insertPerson,
  lockPerson,
  normalizeEmail,
  normalizeUniqueId,
  reservePreverificationIds,
  updatePerson,
} from './person.repository.js';
import type { Actor } from './person-status.service.js';

export function inviteTokenHash(ctx: AppContext, token: string): string {
  return hmac(ctx.config.secret, 'invite', token);
}

export function inviteUrl(ctx: AppContext, token: string): string {
  return `${ctx.config.publicUrl}/invite/${token}`;
}

/** A fresh token and its hash; the token is shown once and never stored. */
export function newInviteToken(ctx: AppContext): { token: string; hash: string } {
  const token = randomToken(24);
  return { token, hash: inviteTokenHash(ctx, token) };
}

/** One person to pre-verify: email or Unique ID (or both), names, optional member type name. */
export interface PreverifyInput {
  readonly email?: string | null;
  readonly uniqueId?: string | null;
  readonly firstName: string;
  readonly lastName: string;
  readonly memberType?: string | null;
}

export type PreverifyOutcome =
  | { readonly ok: true; readonly person: PersonRow; readonly inviteToken: string; readonly inviteUrl: string }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/**
 * Creates one pre-verified person inside `db`. `preverificationId` lets a bulk caller pass an ID
 * from a block it reserved with reservePreverificationIds(); otherwise one is reserved here.
 */
export async function preverifyPersonInTrx(
  ctx: AppContext,
  db: DbOrTrx,
  actor: Actor | null,
  input: PreverifyInput,
  preverificationId?: number,
): Promise<PreverifyOutcome> {
  const email = normalizeEmail(input.email);
  const uniqueId = normalizeUniqueId(input.uniqueId);
  if (!email && !uniqueId)
    return { ok: false, code: 'validation_failed', message: 'Enter an email or a Unique ID (or both).' };
  if (email && (await findPersonByEmail(db, email)))
    return { ok: false, code: 'email_taken', message: `Another person already has the email ${email}.` };
  if (uniqueId && (await findPersonByUniqueId(db, uniqueId)))
    return { ok: false, code: 'unique_id_taken', message: `Another person already has the Unique ID ${uniqueId}.` };
  let memberTypeId: number | null = null;
  if (input.memberType) {
    const type = await findMemberTypeByName(db, input.memberType);
    if (!type)
      return {
        ok: false,
        code: 'unknown_member_type',
        message: `"${input.memberType}" is not a member type of this site.`,
      };
    memberTypeId = type.id;
  }
  const now = ctx.clock.now();
  const { token, hash } = newInviteToken(ctx);
  const person = await insertPerson(db, {
    email,
    unique_id: uniqueId,
    first_name: input.firstName.trim(),
    last_name: input.lastName.trim(),
    member_type_id: memberTypeId,
    status: 'pre_verified',
    is_admin: 0,
    preverification_id: preverificationId ?? (await reservePreverificationIds(db, 1)),
    invite_token_hash: hash,
    created_at: now,
    updated_at: now,
    activated_at: null,
    last_sign_in_at: null,
  });
  await recordAudit(
    db,
    { actorId: actor?.id ?? null, action: 'person.preverify', targetType: 'person', targetId: person.id },
    now,
  );
  return { ok: true, person, inviteToken: token, inviteUrl: inviteUrl(ctx, token) };
}

/** "Add one": pre-verifies a single person; throws on a taken email or Unique ID. */
export async function preverifyPerson(
  ctx: AppContext,
  actor: Actor | null,
  input: PreverifyInput,
): Promise<{ person: PersonRow; inviteUrl: string }> {
  const outcome = await ctx.db.transaction().execute((trx) => preverifyPersonInTrx(ctx, trx, actor, input));
  if (!outcome.ok) throw new AppError(outcome.code, outcome.message);
  return { person: outcome.person, inviteUrl: outcome.inviteUrl };
}

/** Replaces a pre-verified person's invite URL (the old one stops working) and returns the new one, once. */
export async function regenerateInviteUrl(ctx: AppContext, actor: Actor | null, personId: number): Promise<string> {
  return ctx.db.transaction().execute(async (trx) => {
    const person = await lockPerson(trx, personId);
    if (!person) throw new AppError('not_found', 'Person not found.');
    if (person.status !== 'pre_verified')
      throw new AppError('invalid_status_transition', 'Only pre-verified people have an invite URL.');
    const { token, hash } = newInviteToken(ctx);
    const now = ctx.clock.now();
    await updatePerson(trx, person.id, { invite_token_hash: hash, updated_at: now });
    await recordAudit(
      trx,
      { actorId: actor?.id ?? null, action: 'person.invite_url', targetType: 'person', targetId: person.id },
      now,
    );
    return inviteUrl(ctx, token);
  });
}

/** The personal welcome page's data. Grants nothing: the person still proves the email by code. */
export async function findInviteWelcome(ctx: AppContext, token: string): Promise<InviteWelcome> {
  const person =
    token.length >= 16 && token.length <= 64
      ? await findPersonByInviteTokenHash(ctx.db, inviteTokenHash(ctx, token))
      : undefined;
  if (!person || (person.status !== 'pre_verified' && person.status !== 'active'))
    throw new AppError('not_found', 'This invite link is not valid.');
  return {
    firstName: person.first_name,
    lastName: person.last_name,
    email: person.email,
    siteName: ctx.config.siteName,
    status: person.status,
  };
}
