/** The `me` shape: a person row mapped for the API, with the member type's name. */
import type { Me } from '../../shared/auth.js';
import type { DbOrTrx } from '../db/db.js';
import type { PersonRow } from '../db/schema.js';
import { findMemberTypeById } from '../people/member-type.repository.js';

export async function loadMe(db: DbOrTrx, person: PersonRow): Promise<Me> {
  const memberType = person.member_type_id === null ? undefined : await findMemberTypeById(db, person.member_type_id);
  return {
    id: person.id,
    email: person.email,
    firstName: person.first_name,
    lastName: person.last_name,
    status: person.status,
    isAdmin: person.is_admin === 1,
    memberType: memberType?.name ?? null,
  };
}
