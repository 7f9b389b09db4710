/**
 * The invite job's look-up: for each staged row of a range, the community it names, the person
 * its key field names, and (for a dry run) their membership's state. One interface; SQLite
 * (sqlite.lookup.ts) and PostgreSQL (postgres.lookup.ts) implement it, around one statement
 * (lookup.repository.ts). The answers' plain-JavaScript half (row checks, packing) is in
 * row-packing.js, which the SQLite look-up thread loads too.
 */
import type { AppContext } from '../../context.js';
import type { DbOrTrx } from '../../db/db.js';
import { type MembershipState, membershipStates, type PersonStatus, personStatuses } from '../../../shared/enums.js';
import type { Mapping } from '../engine/mapping.js';

export interface FoundPerson {
  readonly id: number;
  readonly status: PersonStatus;
}

/** One row with what the site knows about it. */
export interface ResolvedRow {
  readonly rowNumber: number;
  /** null: not a valid ID */
  readonly communityId: number | null;
  readonly communityExists: boolean;
  /** false: the person column does not hold a valid ID of the key type */
  readonly keyValid: boolean;
  readonly person: FoundPerson | null;
  readonly state: MembershipState | null;
}

/** A row as the look-up statement answers it (row-packing.js turns it into a ResolvedRow). */
export interface LookedUp {
  readonly rn: number;
  readonly c_raw: string | null;
  readonly k_raw: string | null;
  readonly cid: number | null;
  readonly pid: number | null;
  readonly pstatus: PersonStatus | null;
  readonly mstate: MembershipState | null;
}

/** Rows from..to of a job (row numbers, inclusive); membership states only when asked (a dry run). */
export interface LookupRange {
  readonly dataJobId: number;
  readonly mapping: Mapping;
  readonly from: number;
  readonly to: number;
  readonly withStates: boolean;
}

/** Resolved rows as a few typed arrays: what crosses between threads without a copy per row. */
export interface PackedRows {
  readonly count: number;
  /** the row number of index 0 (index i is row first + i) */
  readonly first: number;
  /** NaN: not a valid ID */
  readonly communityIds: Float64Array;
  /** bit 0: the community exists; bit 1: the key is valid */
  readonly flags: Uint8Array;
  /** NaN: no such person */
  readonly personIds: Float64Array;
  /** index into personStatuses */
  readonly statuses: Uint8Array;
  /** 0: no membership, else 1 + index into membershipStates */
  readonly states: Uint8Array;
}

/** A range looked up ahead of the batch that will use it. */
export interface AheadRows {
  readonly rows: PackedRows;
  /** the directory version the look-up's snapshot read; null where the dialect keeps none */
  readonly version: number | null;
}

/**
 * A run's look-up of the next batch while the current one writes, away from the writer's
 * connection. The batch checks in its own transaction that the answer still holds before using it.
 */
export interface AheadLookup {
  lookUp(range: LookupRange): Promise<AheadRows>;
  /** whether rows looked up ahead may decide a batch that writes in `db` (its transaction) */
  stillHolds(db: DbOrTrx, rows: AheadRows): Promise<boolean>;
  /** after each committed batch */
  afterCommit(): void;
  close(): Promise<void>;
}

export interface InviteLookup {
  /** One slice (at most a few tens of thousands of rows) on `db`, in row order. */
  resolve(db: DbOrTrx, range: LookupRange): Promise<ResolvedRow[]>;
  /** How many slices a caller may look up at once on `db` (each then takes a connection of its own). */
  slicesAtOnce(db: DbOrTrx): number;
  /** A dry run's range (a large one's half) looked up beside the caller, packed; null where the dialect has no such place. */
  lookUpBeside(ctx: AppContext, range: LookupRange): Promise<PackedRows | null>;
  /** A run's look-ahead; null where the dialect has none. */
  openAhead(ctx: AppContext, db: DbOrTrx): Promise<AheadLookup | null>;
}

/**
 * Reads packed rows into ONE object that each call overwrites: no object per row (a million-row
 * job decides a million rows). For callers that are done with a row before reading the next.
 */
export function packedRowReader(p: PackedRows): (i: number) => ResolvedRow {
  const person: { id: number; status: PersonStatus } = { id: 0, status: 'active' };
  const row: { -readonly [K in keyof ResolvedRow]: ResolvedRow[K] } = {
    rowNumber: 0,
    communityId: null,
    communityExists: false,
    keyValid: false,
    person: null,
    state: null,
  };
  return (i) => {
    const communityId = p.communityIds[i] ?? Number.NaN;
    const personId = p.personIds[i] ?? Number.NaN;
    const flags = p.flags[i] ?? 0;
    const state = p.states[i] ?? 0;
    const status = personStatuses[p.statuses[i] ?? 255];
    if (!Number.isNaN(personId) && status === undefined)
      throw new Error(`Row ${p.first + i}: a person status this code does not know.`);
    row.rowNumber = p.first + i;
    row.communityId = Number.isNaN(communityId) ? null : communityId;
    row.communityExists = (flags & 1) !== 0;
    row.keyValid = (flags & 2) !== 0;
    if (Number.isNaN(personId) || status === undefined) row.person = null;
    else {
      person.id = personId;
      person.status = status;
      row.person = person;
    }
    row.state = state === 0 ? null : (membershipStates[state - 1] ?? null);
    return row;
  };
}
