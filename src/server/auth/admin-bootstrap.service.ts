/**
 * `convene admin add`: the way into a new deployment. Creates or promotes an active site admin and
 * makes an admin bootstrap link — single use, 24 h, not bound to a browser because the command
 * line has none (see docs/security.md).
 */
import type { AppContext } from '../context.js';
import type { PersonRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { findPersonById, hasActiveAdmin, insertPerson, updatePerson } from '../people/person.repository.js';
import { hmac, randomToken } from '../crypto.js';
import { normalizeEmail } from './email-address.js';
import { findPersonByEmail, insertSignInCode } from './sign-in.repository.js';

export const adminBootstrapLinkTtlMs = 24 * 60 * 60 * 1000;

export interface AdminAdded {
  readonly person: PersonRow;
  readonly created: boolean;
  /** the one-time sign-in link; its token is stored only as an HMAC */
  readonly link: string;
  readonly expiresAt: number;
}

export interface AdminNames {
  readonly firstName?: string;
  readonly lastName?: string;
}

/**
 * Creates (active, admin) or promotes the person with this email, and makes a bootstrap link. Names,
 * when given, are set (on a promoted person too); without them a new admin shows by email until
 * they edit their profile. Throws `invalid_email`.
 */
export async function addSiteAdmin(ctx: AppContext, rawEmail: string, names: AdminNames = {}): Promise<AdminAdded> {
  const email = normalizeEmail(rawEmail);
  if (!email) throw new AppError('invalid_email');
  const firstName = names.firstName?.trim();
  const lastName = names.lastName?.trim();
  const now = ctx.clock.now();
  const { secret } = ctx.config;
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await findPersonByEmail(trx, email);
    const first = firstName ?? existing?.first_name ?? '';
    const last = lastName ?? existing?.last_name ?? '';
    const names = { first_name: first, last_name: last };
    let person: PersonRow;
    if (existing) {
      await updatePerson(trx, existing.id, {
        is_admin: 1,
        status: 'active',
        activated_at: existing.activated_at ?? now,
        updated_at: now,
        ...(firstName !== undefined || lastName !== undefined ? names : {}),
      });
      person = (await findPersonById(trx, existing.id))!;
    } else {
      person = await insertPerson(trx, {
        email,
        ...names,
        status: 'active',
        is_admin: 1,
        unique_id: null,
        preverification_id: null,
        member_type_id: null,
        invite_token_hash: null,
        created_at: now,
        updated_at: now,
        activated_at: now,
        last_sign_in_at: null,
      });
    }
    await recordAudit(
      trx,
      {
        actorId: null,
        action: existing ? 'person.admin_granted' : 'person.admin_created',
        targetType: 'person',
        targetId: person.id,
        details: { via: 'cli' },
      },
      now,
    );

    const token = randomToken(32);
    const expiresAt = now + adminBootstrapLinkTtlMs;
    // No code and no browser: the code and attempt hashes are of random values nobody holds.
    await insertSignInCode(trx, {
      email,
      code_hash: hmac(secret, 'sign_in_code', randomToken(32)),
      link_token_hash: hmac(secret, 'sign_in_link', token),
      attempt_hash: hmac(secret, 'sign_in_attempt', randomToken(32)),
      purpose: 'admin_bootstrap',
      community_id: null,
      failed_attempts: 0,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
    });
    return { person, created: !existing, link: `${ctx.config.publicUrl}/auth/link/${token}`, expiresAt };
  });
}

/** What `serve` prints about the first admin: how to make one while the site has no active admin, else nothing. */
export async function firstAdminHint(ctx: AppContext): Promise<string | null> {
  return (await hasActiveAdmin(ctx.db))
    ? null
    : 'First admin: run `npx convene admin add you@example.edu` and open the link it prints.';
}
