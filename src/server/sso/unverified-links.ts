/**
 * Links that created a person under an address no one had proved: a provider not trusted for
 * email (or an address it did not mark verified) asserted it. Whoever proves the address later —
 * an email code or link, or a provider trusted for email — is its owner, so those links go: an
 * attacker who signed up first with the owner's address loses the way in (docs/security.md).
 */
import { recordAudit } from '../audit/audit.repository.js';
import { deletePersonSessions, revokePersonApiTokens } from '../auth/session.repository.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { PersonRow } from '../db/schema.js';
import { deleteSsoLinkById, listRemovedLinkEvents, listSsoLinksOfPerson } from './sso.repository.js';

/** The audit action of a link removed this way (read back for the person's profile). */
export const unverifiedLinkRemoved = 'sso_link.remove_unverified';

/** How long the profile tells the person that a link was removed. */
const NOTICE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Removes the person's links made under their unproved address, and ends every session and API
 * token of the person (whoever signed in through such a link keeps no way in); runs in the
 * transaction that proved the address (`how`), before its own session starts. Answers how many
 * links went.
 */
export async function dropUnverifiedSsoLinks(
  ctx: AppContext,
  trx: DbOrTrx,
  person: PersonRow,
  how: 'email_code' | 'email_link' | 'trusted_provider',
): Promise<number> {
  const links = await listSsoLinksOfPerson(trx, person.id, { unverifiedOnly: true });
  let removed = 0;
  for (const link of links) {
    if (!(await deleteSsoLinkById(trx, link.id))) continue;
    removed++;
    await recordAudit(
      trx,
      {
        actorId: null,
        action: unverifiedLinkRemoved,
        targetType: 'person',
        targetId: person.id,
        details: {
          providerId: link.provider_id,
          providerName: link.provider_name,
          providerUniqueId: link.unique_id,
          linkedAt: link.created_at,
          provedBy: how,
        },
      },
      ctx.clock.now(),
    );
    ctx.log.warn(
      { event: 'sso.unverified_link_removed', providerId: link.provider_id, personId: person.id, how },
      'a link made under an unproved address was removed when the address was proved',
    );
  }
  if (removed > 0) {
    await deletePersonSessions(trx, person.id);
    await revokePersonApiTokens(trx, person.id, ctx.clock.now());
  }
  return removed;
}

export interface RemovedLink {
  readonly providerId: number;
  readonly providerName: string;
  readonly removedAt: number;
}

/** The links removed from this person in the last 30 days, newest first, one per provider. */
export async function recentlyRemovedLinks(ctx: AppContext, personId: number): Promise<RemovedLink[]> {
  const events = await listRemovedLinkEvents(ctx.db, personId, unverifiedLinkRemoved, ctx.clock.now() - NOTICE_MS);
  const seen = new Set<number>();
  const out: RemovedLink[] = [];
  for (const event of events) {
    let details: { providerId?: unknown; providerName?: unknown } = {};
    try {
      details = JSON.parse(event.details ?? '{}') as typeof details;
    } catch {
      continue;
    }
    if (typeof details.providerId !== 'number' || seen.has(details.providerId)) continue;
    seen.add(details.providerId);
    out.push({
      providerId: details.providerId,
      providerName: typeof details.providerName === 'string' ? details.providerName : 'A sign-in provider',
      removedAt: event.created_at,
    });
  }
  return out;
}
