/**
 * "Invite members to community": one (Community ID, person) per row. Looks a slice of rows up
 * in one statement, decides every row, and writes the invitations in bulk (the write itself
 * says which rows it invited).
 * No email, ever: invitations wait on the person's home (email_status not_sent / pre_verified).
 */
import type { MembershipState } from '../../../../shared/enums.js';
import type { DbOrTrx } from '../../../db/db.js';
import {
  type DataJobInvitationConstants,
  decideInvite,
  findMembershipStatesOfPeople,
  readInvitationKeysOfJob,
  transition,
  upsertDataJobInvitations,
} from '../../../memberships/index.js';
import { findPersonById } from '../../../people/person.repository.js';
import { readResultKeys } from '../../engine/data-job.repository.js';
import { duplicateOf, type JobKind, type OutcomeCorrection, type RowOutcome, skip } from '../../engine/job-kind.js';
import { inviteLookupOf } from '../../lookup/index.js';
import { InviteLookAhead } from '../../lookup/look-ahead.js';
import { packedRowReader, type ResolvedRow } from '../../lookup/lookup.js';
import { KeySet } from '../../engine/key-set.js';
import type { DataJobRow } from '../../../db/schema.js';
import type { Mapping } from '../../engine/mapping.js';
import { invitationExpiresAt, getSiteSettings } from '../../../site/site-settings.service.js';

const lookupSlice = 10_000;
/** A run settles its rows' outcomes (result rows, counters) once this many exceptions wait, and at the batch's end. */
const settleEvery = 25_000;

/** One number per (community, person) pair while it fits in 2^53, else a string. */
function pairKey(communityId: number, personId: number): number | string {
  return communityId < 2 ** 20 && personId < 2 ** 32 ? communityId * 2 ** 32 + personId : `${communityId}:${personId}`;
}

/** The memberships of a batch's people, by (community, person) pair. */
async function findMemberships(
  db: DbOrTrx,
  personIds: readonly number[],
): Promise<Map<number | string, MembershipState>> {
  const states = new Map<number | string, MembershipState>();
  for (const r of await findMembershipStatesOfPeople(db, personIds))
    states.set(pairKey(r.community_id, r.person_id), r.state);
  return states;
}

/** A row that passed every check, as a caller without settle gets it: 'invited' until the write tells otherwise. */
interface Candidate extends RowOutcome {
  outcome: 'invited' | 'already_invited' | 'already_member';
}

/** What every invitation of the batch shares: read once per batch. */
async function invitationConstants(
  db: DbOrTrx,
  job: DataJobRow,
  mapping: Mapping,
  now: number,
): Promise<DataJobInvitationConstants> {
  // The job's creator may have been merged away since; the invitation then names no inviter.
  const inviter = await findPersonById(db, job.created_by);
  // The job's own expiry when the admin chose one (null: never), else the site's.
  const expiresAt = invitationExpiresAt(await getSiteSettings(db), mapping.expiresInDays, now);
  return { invitedBy: inviter?.id ?? null, dataJobId: job.id, now, expiresAt };
}

/**
 * A whole batch's candidates as columns (no object per row kept): written at the end of the
 * batch in one sorted pass. Their rows were settled as 'invited'; the few the write finds
 * already invited or joined are corrected (amend) in the same transaction.
 */
class CandidateColumns {
  count = 0;
  readonly rowNumbers: Float64Array;
  readonly personIds: Float64Array;
  readonly communityIds: Float64Array;
  readonly preVerified: Uint8Array;

  constructor(capacity: number) {
    this.rowNumbers = new Float64Array(capacity);
    this.personIds = new Float64Array(capacity);
    this.communityIds = new Float64Array(capacity);
    this.preVerified = new Uint8Array(capacity);
  }

  push(rowNumber: number, communityId: number, personId: number, preVerified: boolean): void {
    const i = this.count++;
    this.rowNumbers[i] = rowNumber;
    this.personIds[i] = personId;
    this.communityIds[i] = communityId;
    this.preVerified[i] = preVerified ? 1 : 0;
  }
}

/**
 * Writes a batch's invitations in primary-key order (person, community): the table's own order,
 * so the write walks its pages forwards; answers the rows the write did not invite, with what
 * they are.
 */
async function writeInvitationColumns(
  db: DbOrTrx,
  cols: CandidateColumns,
  constants: DataJobInvitationConstants,
): Promise<OutcomeCorrection[]> {
  if (!cols.count) return [];
  const order = new Uint32Array(cols.count);
  for (let i = 0; i < cols.count; i++) order[i] = i;
  const { personIds: p, communityIds: c } = cols;
  order.sort((x, y) => (p[x] as number) - (p[y] as number) || (c[x] as number) - (c[y] as number));
  const written = new KeySet(cols.count);
  await upsertDataJobInvitations(
    db,
    order,
    (i) => [
      c[i] as number,
      p[i] as number,
      cols.preVerified[i] ? 'pre_verified' : 'not_sent',
      cols.rowNumbers[i] as number,
    ],
    constants,
    (communityId, personId) => written.add(pairKey(communityId, personId)),
  );
  const rest: number[] = [];
  for (let i = 0; i < cols.count; i++) if (!written.has(pairKey(c[i] as number, p[i] as number))) rest.push(i);
  if (!rest.length) return [];
  const states = await findMemberships(db, [...new Set(rest.map((i) => p[i] as number))]);
  return rest.map((i) => {
    const refused = transition(states.get(pairKey(c[i] as number, p[i] as number)), 'invite');
    return {
      rowNumber: cols.rowNumbers[i] as number,
      personId: p[i] as number,
      communityId: c[i] as number,
      to: !refused.ok && refused.reason === 'already_member' ? 'already_member' : 'already_invited',
    };
  });
}

/**
 * One row's fate: the row's own checks (valid IDs, known community and person, not a duplicate),
 * then the memberships transition table's decideInvite — the same answer a direct invite's
 * recipient gets. A run (`into` given): a row the table invites goes into the batch's columns for
 * the write (which reads the membership state itself), and the answer is null (no object for it).
 */
function rowOutcome(r: ResolvedRow, seen: KeySet, into: null): RowOutcome;
function rowOutcome(r: ResolvedRow, seen: KeySet, into: CandidateColumns | null): RowOutcome | null;
function rowOutcome(r: ResolvedRow, seen: KeySet, into: CandidateColumns | null): RowOutcome | null {
  if (r.communityId === null) return skip(r.rowNumber, 'invalid_community_id');
  if (!r.keyValid) return skip(r.rowNumber, 'invalid_id');
  if (!r.communityExists) return skip(r.rowNumber, 'unknown_community');
  const person = r.person;
  if (!person) return skip(r.rowNumber, 'unknown_person', null, r.communityId);
  const pair = pairKey(r.communityId, person.id);
  if (seen.has(pair)) return duplicateOf(r.rowNumber, seen.firstRow(pair), person.id, r.communityId);
  seen.add(pair, r.rowNumber);
  const decision = decideInvite(person.status, r.state);
  if (!decision.invite) {
    if (decision.reason === 'person_inactive' || decision.reason === 'person_pending')
      return skip(r.rowNumber, decision.reason, person.id, r.communityId);
    return {
      rowNumber: r.rowNumber,
      outcome: decision.reason,
      reason: null,
      personId: person.id,
      communityId: r.communityId,
    };
  }
  if (into) {
    into.push(r.rowNumber, r.communityId, person.id, person.status === 'pre_verified');
    return null;
  }
  return { rowNumber: r.rowNumber, outcome: 'invited', reason: null, personId: person.id, communityId: r.communityId };
}

export const inviteKind: JobKind = {
  // Large batches: each commit rewrites the index pages it touched, and a batch of random people
  // touches most of the membership indexes' pages, so fewer, larger commits write far less.
  // On SQLite larger still: a commit there writes every touched page whole, twice (WAL, then
  // checkpoint). A batch holds at most 25,000 exceptions' objects at a time (settle), so its size costs
  // no memory; it costs the other requests' wait for SQLite's one writer (one batch's duration).
  batchSize: 50_000,
  sqliteBatchSize: 100_000,
  outcomes: ['invited', 'already_invited', 'already_member', 'skipped'],
  // An invited row's record is its invitation (data_job_id, data_job_row): a million-row job
  // writes result rows only for the rows it did not invite.
  impliedOutcome: 'invited',
  reasons: [
    'invalid_community_id',
    'invalid_id',
    'unknown_community',
    'unknown_person',
    'duplicate_row',
    'person_inactive',
    'person_pending',
  ],
  writesOnlyCheckedReferences: true,

  async runBatch(db, { job, mapping, from, to, seen, apply, now, settle, amend, ahead, next }) {
    let outcomes: RowOutcome[] = [];
    // A run keeps its candidates as columns and writes them all at the batch's end, sorted (each
    // pass over the membership indexes then touches each page once per batch). Rows are settled
    // on the way as 'invited'; what the write finds otherwise is amended before the commit.
    // Without settle (a caller that takes the outcomes back) the outcomes returned are corrected.
    const settling = settle && amend ? { settle, amend } : null;
    const batch = apply ? new CandidateColumns(to - from + 1) : null;
    // Settling, a row the write will invite is only counted (its outcome is the kind's implied
    // one, and its record the invitation): a million-row job allocates an object per exception,
    // not per row. (Objects for every row, promoted before they died, grew the heap between two
    // full collections and raised the job's peak RSS.)
    let implied = 0;
    const decide = (r: ResolvedRow) => {
      const outcome = rowOutcome(r, seen, batch);
      if (outcome) outcomes.push(outcome);
      else if (settling) implied++;
      else {
        const b = batch as CandidateColumns;
        const i = b.count - 1;
        outcomes.push({
          rowNumber: r.rowNumber,
          outcome: 'invited',
          reason: null,
          personId: b.personIds[i] as number,
          communityId: b.communityIds[i] as number,
        } satisfies Candidate);
      }
    };
    // Looked up in slices: only a slice's rows (two on PostgreSQL's pool) are alive at a time,
    // however large the batch. The dry run reads membership states; a run lets the write decide.
    // Outside a transaction (the dry run) PostgreSQL looks two slices up at once, on two
    // connections: its server then works on both cores.
    const constants = apply ? await invitationConstants(db, job, mapping, now) : null;
    // A run takes what was looked up ahead for it (if it still holds), and has the next batch
    // looked up while it writes.
    const lookAhead = apply && ahead instanceof InviteLookAhead ? ahead : null;
    const early = (await lookAhead?.take(db, from, to)) ?? null;
    if (lookAhead && next) lookAhead.prefetch(next.from, next.to);
    const slices: [number, number][] = [];
    for (let a = from; a <= to; a += lookupSlice) slices.push([a, Math.min(to, a + lookupSlice - 1)]);
    const lookup = inviteLookupOf(db);
    const together = lookup.slicesAtOnce(db);
    for (let i = 0; i < slices.length; i += together) {
      if (early) for (const [a, b] of slices.slice(i, i + together)) early(a, b, decide);
      else {
        const looked = await Promise.all(
          slices
            .slice(i, i + together)
            .map(([a, b]) => lookup.resolve(db, { dataJobId: job.id, mapping, from: a, to: b, withStates: !apply })),
        );
        for (const resolved of looked) for (const r of resolved) decide(r);
      }
      if (settling && (outcomes.length >= settleEvery || i + together >= slices.length)) {
        await settling.settle(outcomes, implied);
        outcomes = [];
        implied = 0;
      }
    }
    if (!batch || !constants) return outcomes;
    const corrections = await writeInvitationColumns(db, batch, constants);
    if (settling) await settling.amend(corrections);
    else
      for (const c of corrections) (outcomes[c.rowNumber - from] as Candidate).outcome = c.to as Candidate['outcome'];
    return outcomes;
  },

  async lookAhead(ctx, job, mapping, from, to) {
    const packed = await inviteLookupOf(ctx.db).lookUpBeside(ctx, {
      dataJobId: job.id,
      mapping,
      from,
      to,
      withStates: true,
    });
    if (!packed) return null;
    if (packed.count !== to - from + 1) throw new Error(`Staged rows ${from}–${to} are missing.`);
    const read = packedRowReader(packed);
    return (seen, onOutcomes) => {
      for (let a = 0; a < packed.count; a += lookupSlice) {
        const outcomes: RowOutcome[] = [];
        for (let i = a; i < Math.min(packed.count, a + lookupSlice); i++)
          outcomes.push(rowOutcome(read(i), seen, null));
        onOutcomes(outcomes);
      }
    };
  },

  async openLookAhead(ctx, db, job, mapping) {
    const ahead = await inviteLookupOf(db).openAhead(ctx, db);
    return ahead && new InviteLookAhead(ctx, job, mapping, ahead);
  },

  // The rows it invited are its invitations; every other row that named a pair has a result row.
  async rebuildSeen(db, dataJobId, upToRow, expectedKeys) {
    const seen = new KeySet(expectedKeys);
    for (const r of await readResultKeys(db, dataJobId, upToRow)) {
      if (r.person_id !== null && r.community_id !== null) seen.add(pairKey(r.community_id, r.person_id), r.row_number);
    }
    for (const r of await readInvitationKeysOfJob(db, dataJobId, upToRow))
      seen.add(pairKey(r.community_id, r.person_id), r.data_job_row ?? 0);
    return seen;
  },
};
