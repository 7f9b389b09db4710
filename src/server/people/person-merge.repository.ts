/** The person merge's writes outside memberships: what pointed at the merged person points at the survivor. */
import type { DbOrTrx } from '../db/db.js';
import type { PersonRow } from '../db/schema.js';

/**
 * Communities created by and Data Tools results of `from` become `into`'s; `from` is deleted and
 * `into` takes its email and whatever it lacked (names, member type, admin, last sign-in).
 */
export async function replacePersonInRows(db: DbOrTrx, from: PersonRow, into: PersonRow, now: number): Promise<void> {
  await db.updateTable('community').set({ created_by: into.id }).where('created_by', '=', from.id).execute();
  await db.updateTable('data_job_result').set({ person_id: into.id }).where('person_id', '=', from.id).execute();
  // The pending row goes first: its email is unique and moves to the survivor.
  await db.deleteFrom('person').where('id', '=', from.id).execute();
  await db
    .updateTable('person')
    .set({
      email: from.email ?? into.email,
      first_name: into.first_name || from.first_name,
      last_name: into.last_name || from.last_name,
      name_key: `${into.first_name || from.first_name} ${into.last_name || from.last_name}`.trim().toLowerCase(),
      last_name_key: (into.last_name || from.last_name).trim().toLowerCase(),
      member_type_id: into.member_type_id ?? from.member_type_id,
      is_admin: into.is_admin === 1 || from.is_admin === 1 ? 1 : 0,
      last_sign_in_at: from.last_sign_in_at ?? into.last_sign_in_at,
      updated_at: now,
    })
    .where('id', '=', into.id)
    .execute();
}
