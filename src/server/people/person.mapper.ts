/** Person rows → the API's shapes. */
import type { PersonListItem } from '../../shared/people.js';
import type { PersonRow } from '../db/schema.js';

type MappableRow = Pick<
  PersonRow,
  | 'id'
  | 'unique_id'
  | 'preverification_id'
  | 'email'
  | 'first_name'
  | 'last_name'
  | 'member_type_id'
  | 'status'
  | 'is_admin'
  | 'created_at'
  | 'activated_at'
  | 'last_sign_in_at'
>;

export function toPersonListItem(row: MappableRow, memberTypes: ReadonlyMap<number, string>): PersonListItem {
  return {
    id: row.id,
    uniqueId: row.unique_id,
    preverificationId: row.preverification_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    memberType: row.member_type_id === null ? null : (memberTypes.get(row.member_type_id) ?? null),
    status: row.status,
    isAdmin: row.is_admin === 1,
    createdAt: row.created_at,
    activatedAt: row.activated_at,
    lastSignInAt: row.last_sign_in_at,
  };
}
