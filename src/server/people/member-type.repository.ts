/** Member types: the site's list (Alumni, Student, …), matched ignoring case and spaces. */
import type { DbOrTrx } from '../db/db.js';

export interface MemberTypeRow {
  id: number;
  name: string;
  name_key: string;
  created_at: number;
}

/** "  Faculty / Staff " and "faculty/staff" are the same type. */
export function memberTypeKey(name: string): string {
  return name.toLowerCase().replace(/\s+/g, '');
}

export async function findMemberTypeByName(db: DbOrTrx, name: string): Promise<MemberTypeRow | undefined> {
  const key = memberTypeKey(name);
  if (!key) return undefined;
  return db.selectFrom('member_type').selectAll().where('name_key', '=', key).executeTakeFirst();
}

export async function findMemberTypeById(db: DbOrTrx, id: number): Promise<MemberTypeRow | undefined> {
  return db.selectFrom('member_type').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listMemberTypes(db: DbOrTrx): Promise<MemberTypeRow[]> {
  return db.selectFrom('member_type').selectAll().orderBy('name').execute();
}

/** Inserts the type unless one with the same key exists; returns the row either way. */
export async function ensureMemberType(db: DbOrTrx, name: string, now: number): Promise<MemberTypeRow> {
  const clean = name.trim().replace(/\s+/g, ' ');
  await db
    .insertInto('member_type')
    .values({ name: clean, name_key: memberTypeKey(clean), created_at: now })
    .onConflict((oc) => oc.column('name_key').doNothing())
    .execute();
  const row = await findMemberTypeByName(db, clean);
  if (!row) throw new Error('member type vanished');
  return row;
}
