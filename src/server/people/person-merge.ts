/**
 * Merging a pending person into the pre-verified record with the same Unique ID (approval).
 * The pre-verified record survives (see docs/decisions.md): its Profile ID and Pre-verification
 * ID are what CSV files, data jobs and invitations already point at. It takes the pending
 * person's verified email and sign-in history; memberships move over; then the pending row goes.
 */
import type { DbOrTrx } from '../db/db.js';
import type { MembershipRow, PersonRow } from '../db/schema.js';
import { replacePersonInRows } from './person-merge.repository.js';
import {
  listMembershipRowsOfPerson,
  lockMembershipWrites,
  mergedState,
  overwriteMembership,
  reassignInviter,
  reassignMembership,
} from '../memberships/index.js';

/** Of two memberships in one community, the one that keeps more of what the person has (the transition table's merge). */
function stronger(a: MembershipRow, b: MembershipRow): MembershipRow {
  const keep = mergedState(a.state, b.state) === a.state ? a : b;
  const leader = (a.role === 'leader' && a.state === 'joined') || (b.role === 'leader' && b.state === 'joined');
  return { ...keep, role: leader && keep.state === 'joined' ? 'leader' : keep.role };
}

export interface MergeResult {
  readonly movedMemberships: number;
  readonly mergedMemberships: number;
}

/*
 * Locking: on PostgreSQL, deleting a person takes membership in SHARE ROW EXCLUSIVE mode (a
 * statement trigger; migration 2026-11-27T0910-membership-references-per-statement) so that no
 * membership is written for them meanwhile. A merge writes memberships (ROW EXCLUSIVE) before it
 * deletes, so taking that lock only at the delete would be an upgrade: two merges each holding ROW
 * EXCLUSIVE would each wait for the other's to end — a deadlock, whichever people they merge. A
 * merge therefore takes the stronger lock (lockMembershipWrites) before its first membership
 * write: a second merge waits there for the first to commit, holding only its own two people's
 * rows, which the first never touches; and a data job batch that upserts memberships finishes
 * before the merge writes any, so it never waits on a merged row while the merge waits on its
 * table lock. What is left: a transaction that has written memberships and then waits for one of
 * those two people's rows (a deactivate job listing the pre-verified person at that very moment)
 * closes a cycle, and PostgreSQL cancels one of the two with a deadlock error. SQLite has one
 * writer at a time.
 */

/** Moves everything of `from` onto `into` and deletes `from`. Run inside the approval transaction. */
export async function mergePersonInto(
  db: DbOrTrx,
  from: PersonRow,
  into: PersonRow,
  now: number,
): Promise<MergeResult> {
  await lockMembershipWrites(db);
  const fromRows = await listMembershipRowsOfPerson(db, from.id);
  const intoRows = new Map((await listMembershipRowsOfPerson(db, into.id)).map((m) => [m.community_id, m]));
  let moved = 0;
  let merged = 0;
  for (const m of fromRows) {
    const existing = intoRows.get(m.community_id);
    if (!existing) {
      await reassignMembership(db, m.community_id, from.id, into.id, now);
      moved++;
      continue;
    }
    const { community_id: _c, person_id: _p, ...rest } = stronger(existing, m);
    await overwriteMembership(db, existing.community_id, into.id, rest, now);
    merged++;
  }
  await reassignInviter(db, from.id, into.id);
  await replacePersonInRows(db, from, into, now);
  return { movedMemberships: moved, mergedMemberships: merged };
}
