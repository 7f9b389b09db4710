/**
 * Required single sign-on: an admin names member types (on a provider) whose people must sign in
 * through that provider. Email codes and links refuse them with a message naming the provider.
 */
import type { DbOrTrx } from '../db/db.js';
import type { PersonRow } from '../db/schema.js';
import { findMemberTypeById, memberTypeKey } from '../people/member-type.repository.js';
import { listEnabledIdentityProviders } from './sso.repository.js';

export interface SsoRequirement {
  readonly providerId: number;
  readonly providerName: string;
}

/** The enabled provider this person must sign in through, if their member type requires one. */
export async function ssoRequiredFor(db: DbOrTrx, person: PersonRow): Promise<SsoRequirement | undefined> {
  if (person.member_type_id === null) return undefined;
  const providers = await listEnabledIdentityProviders(db);
  if (providers.length === 0) return undefined;
  const type = await findMemberTypeById(db, person.member_type_id);
  if (!type) return undefined;
  for (const provider of providers) {
    let names: unknown;
    try {
      names = JSON.parse(provider.required_member_types);
    } catch {
      names = [];
    }
    if (Array.isArray(names) && names.some((n) => typeof n === 'string' && memberTypeKey(n) === type.name_key))
      return { providerId: provider.id, providerName: provider.name };
  }
  return undefined;
}

export function ssoRequiredMessage(requirement: SsoRequirement): string {
  return `People of your member type sign in with ${requirement.providerName}: use the “${requirement.providerName}” button instead of an email code.`;
}
