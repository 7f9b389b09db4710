/**
 * "Invite members to community": one (Community ID, person) per row. Looks a whole batch up
 * with a few set queries, decides every row, and writes the invitations with one upsert.
 * No email, ever: invitations wait on the person's home (email_status not_sent / pre_verified).
 */
import type { KeyType, MembershipState, PersonStatus } from '../../shared/enums.js';
import type { DbOrTrx } from '../db/db.js';
import { inJsonList, insertRows } from './bulk.repository.js';
import { readResultKeys } from './data-job.repository.js';
import { cell, type JobKind, parseId, type RowOutcome, skip } from './job-kind.js';
import { KeySet } from './key-set.js';

const personKeyColumn = { unique_id: 'unique_id', preverification_id: 'preverification_id', profile_id: 'id' } as const;

/** One number per (community, person) pair while it fits in 2^53, else a string. */
function pairKey(communityId: number, personId: number): number | string {
  return communityId < 2 ** 20 && personId < 2 ** 32 ? communityId * 2 ** 32 + personId : `${communityId}:${personId}`;
}

interface FoundPerson { readonly id: number; readonly status: PersonStatus }

async function findPeople(db: DbOrTrx, keyType: KeyType, keys: readonly (string | number)[]): Promise<Map<string, FoundPerson>> {
  const found = new Map<string, FoundPerson>();
  if (!keys.length) return found;
  const column = personKeyColumn[keyType];
  const rows = await db.selectFrom('person').select(['id', 'status', `${column} as key`])
    .where(inJsonList(db, `person.${column}`, keys, keyType === 'unique_id' ? 'text' : 'int')).execute();
  for (const r of rows) found.set(String(r.key), { id: r.id, status: r.status });
  return found;
}

async function findCommunities(db: DbOrTrx, ids: readonly number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await db.selectFrom('community').select('id').where(inJsonList(db, 'community.id', ids, 'int')).execute();
  return new Set(rows.map((r) => r.id));
}

async function findMemberships(db: DbOrTrx, personIds: readonly number[]): Promise<Map<number | string, MembershipState>> {
  const states = new Map<number | string, MembershipState>();
  if (!personIds.length) return states;
  // By person only: a batch names most communities, and an IN on community_id lets SQLite's
  // planner walk every membership of those communities instead of the few of these people.
  const rows = await db.selectFrom('membership').select(['community_id', 'person_id', 'state'])
    .where(inJsonList(db, 'membership.person_id', personIds, 'int')).execute();
  for (const r of rows) states.set(pairKey(r.community_id, r.person_id), r.state);
  return states;
}

const membershipColumns = [
  { name: 'community_id', type: 'int' }, { name: 'person_id', type: 'int' }, { name: 'email_status', type: 'text' },
] as const;

// An earlier dismissed, left, removed or requested membership is invited again; joined and
// invited ones are never touched (the WHERE also guards against a join that raced the batch).
const reinvite = `ON CONFLICT (community_id, person_id) DO UPDATE SET state = 'invited', source = 'data_job',
  invited_by = excluded.invited_by, invited_at = excluded.invited_at, data_job_id = excluded.data_job_id,
  email_status = excluded.email_status, message = NULL, email_outbox_id = NULL, emailed_at = NULL, updated_at = excluded.updated_at
  WHERE membership.state IN ('dismissed', 'left', 'removed', 'requested')`;

export const inviteKind: JobKind = {
  // Large batches: each commit rewrites the index pages it touched, and a batch of random people
  // touches most of the membership indexes' pages, so fewer, larger commits write far less.
  batchSize: 50_000,
  outcomes: ['invited', 'already_invited', 'already_member', 'skipped'],
  reasons: ['invalid_id', 'unknown_community', 'unknown_person', 'duplicate_row', 'person_inactive', 'person_pending'],

  async runBatch(db, { job, mapping, rows, seen, apply, now }) {
    const keyType = mapping.keyType;
    const numericKey = keyType !== 'unique_id';
    const parsed = rows.map((r) => {
      const c = parseId(cell(r.values, mapping.communityColumn));
      const raw = cell(r.values, mapping.keyColumn);
      const k = numericKey ? parseId(raw) : raw && raw.length <= 200 ? raw : null;
      return { rowNumber: r.rowNumber, communityId: c, key: k };
    });
    const communityIds = [...new Set(parsed.flatMap((p) => (p.communityId === null ? [] : [p.communityId])))];
    const keys = [...new Set(parsed.flatMap((p) => (p.key === null ? [] : [p.key])))];
    const [communities, people] = await Promise.all([findCommunities(db, communityIds), findPeople(db, keyType, keys)]);
    const personIds = [...new Set([...people.values()].map((p) => p.id))];
    const memberships = await findMemberships(db, personIds);

    const outcomes: RowOutcome[] = [];
    const writes: unknown[][] = [];
    for (const p of parsed) {
      if (p.communityId === null || p.key === null) { outcomes.push(skip(p.rowNumber, 'invalid_id')); continue; }
      if (!communities.has(p.communityId)) { outcomes.push(skip(p.rowNumber, 'unknown_community')); continue; }
      const person = people.get(String(p.key));
      if (!person) { outcomes.push(skip(p.rowNumber, 'unknown_person', null, p.communityId)); continue; }
      const pair = pairKey(p.communityId, person.id);
      if (seen.has(pair)) { outcomes.push(skip(p.rowNumber, 'duplicate_row', person.id, p.communityId)); continue; }
      seen.add(pair);
      if (person.status === 'inactive') { outcomes.push(skip(p.rowNumber, 'person_inactive', person.id, p.communityId)); continue; }
      if (person.status === 'pending') { outcomes.push(skip(p.rowNumber, 'person_pending', person.id, p.communityId)); continue; }
      const state = memberships.get(pair);
      const outcome = state === 'joined' ? 'already_member' : state === 'invited' ? 'already_invited' : 'invited';
      outcomes.push({ rowNumber: p.rowNumber, outcome, reason: null, personId: person.id, communityId: p.communityId });
      if (outcome === 'invited' && apply) {
        writes.push([p.communityId, person.id, person.status === 'pre_verified' ? 'pre_verified' : 'not_sent']);
      }
    }
    if (apply && writes.length) {
      // In primary-key order: the inserts then touch neighbouring index pages.
      writes.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
      await insertRows(db, 'membership', membershipColumns, writes, reinvite, [
        { name: 'state', type: 'text', value: 'invited' }, { name: 'role', type: 'text', value: 'member' }, { name: 'source', type: 'text', value: 'data_job' },
        { name: 'invited_by', type: 'int', value: job.created_by }, { name: 'invited_at', type: 'bigint', value: now }, { name: 'data_job_id', type: 'int', value: job.id },
        { name: 'created_at', type: 'bigint', value: now }, { name: 'updated_at', type: 'bigint', value: now },
      ]);
    }
    return outcomes;
  },

  async rebuildSeen(db, dataJobId, upToRow) {
    const seen = new KeySet();
    for (const r of await readResultKeys(db, dataJobId, upToRow)) {
      if (r.person_id !== null && r.community_id !== null) seen.add(pairKey(r.community_id, r.person_id));
    }
    return seen;
  },
};
