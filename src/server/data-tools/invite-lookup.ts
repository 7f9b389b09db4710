/**
 * What the invite job knows about one staged row, and the SQLite statement that finds it. Kept
 * free of Kysely so that the look-up thread (lookup-thread.ts) can load it cheaply.
 */
import { type KeyType, type MembershipState, membershipStates, type PersonStatus, personStatuses } from '../../shared/enums.js';
import { parseId } from './job-kind.js';
import type { Mapping } from './mapping.js';

export const personKeyColumn = { unique_id: 'unique_id', preverification_id: 'preverification_id', profile_id: 'id' } as const;

export interface FoundPerson { readonly id: number; readonly status: PersonStatus }

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

export function parseKey(raw: string, keyType: KeyType): string | number | null {
  if (keyType !== 'unique_id') return parseId(raw);
  return raw && raw.length <= 200 ? raw : null;
}

/** A row as the look-up statements answer it. */
export interface LookedUp {
  readonly rn: number; readonly c_raw: string | null; readonly k_raw: string | null; readonly cid: number | null;
  readonly pid: number | null; readonly pstatus: PersonStatus | null; readonly mstate: MembershipState | null;
}

/** The JavaScript checks of each raw value stay the judge of what is valid. */
export function toResolved(r: LookedUp, mapping: Mapping): ResolvedRow {
  const communityId = parseId((r.c_raw ?? '').trim());
  const key = parseKey((r.k_raw ?? '').trim(), mapping.keyType);
  return {
    rowNumber: r.rn, communityId, communityExists: communityId !== null && r.cid === communityId, keyValid: key !== null,
    person: key !== null && r.pid !== null && r.pstatus !== null ? { id: r.pid, status: r.pstatus } : null, state: r.mstate,
  };
}

/**
 * SQLite: one statement looks a slice up — staged row → community → person by the key field →
 * membership by its primary key (dry run only) — so nothing crosses into JavaScript but the
 * answers. Parameters: data job id, first and last row number.
 */
export function sqliteLookupText(mapping: Mapping, withStates: boolean): string {
  const ci = (mapping.communityColumn ?? 1) - 1;
  const ki = (mapping.keyColumn ?? 1) - 1;
  const rawKey = `trim(r."values"->>${ki}, ' ' || char(9, 10, 13))`;
  const keyExpr = mapping.keyType === 'unique_id' ? rawKey : `CAST(${rawKey} AS INTEGER)`;
  return `SELECT r.row_number AS rn, r."values"->>${ci} AS c_raw, r."values"->>${ki} AS k_raw,
      c.id AS cid, p.id AS pid, p.status AS pstatus, ${withStates ? 'm.state' : 'NULL'} AS mstate
    FROM data_job_row r
    LEFT JOIN community c ON c.id = CAST(trim(r."values"->>${ci}, ' ' || char(9, 10, 13)) AS INTEGER)
    LEFT JOIN person p ON p.${personKeyColumn[mapping.keyType]} = ${keyExpr}
    ${withStates ? 'LEFT JOIN membership m ON m.community_id = c.id AND m.person_id = p.id' : ''}
    WHERE r.data_job_id = ? AND r.row_number BETWEEN ? AND ?
    ORDER BY r.row_number`;
}

/** What the look-up thread is asked: rows from..to of a job (membership states for a dry run). */
export interface LookupRequest {
  readonly id: number;
  readonly dataJobId: number;
  readonly mapping: Mapping;
  readonly from: number;
  readonly to: number;
  readonly withStates: boolean;
}

/**
 * SQLite: the directory version (migration 2026-11-27T0930): triggers move it on every change
 * that can change a look-up's answer — a person added or removed or changing status or IDs, a
 * community added or removed. Two snapshots that read the same version answer look-ups alike.
 */
export const directoryVersionText = 'SELECT version FROM directory_version WHERE id = 1';

/** Resolved rows as a few typed arrays: what crosses between threads without a copy per row. */
export interface PackedRows {
  readonly count: number;
  readonly rowNumbers: Float64Array;
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

export function packRows(capacity: number): PackedRows & { put(i: number, r: ResolvedRow): void; buffers(): ArrayBuffer[] } {
  const p = {
    count: capacity, rowNumbers: new Float64Array(capacity), communityIds: new Float64Array(capacity), flags: new Uint8Array(capacity),
    personIds: new Float64Array(capacity), statuses: new Uint8Array(capacity), states: new Uint8Array(capacity),
  };
  return {
    ...p,
    put(i, r) {
      p.rowNumbers[i] = r.rowNumber;
      p.communityIds[i] = r.communityId ?? Number.NaN;
      p.flags[i] = (r.communityExists ? 1 : 0) | (r.keyValid ? 2 : 0);
      p.personIds[i] = r.person?.id ?? Number.NaN;
      p.statuses[i] = r.person ? personStatuses.indexOf(r.person.status) : 0;
      p.states[i] = r.state === null ? 0 : membershipStates.indexOf(r.state) + 1;
    },
    buffers: () => [p.rowNumbers, p.communityIds, p.flags, p.personIds, p.statuses, p.states].map((a) => a.buffer as ArrayBuffer),
  };
}

export function unpackRow(p: PackedRows, i: number): ResolvedRow {
  const communityId = p.communityIds[i] ?? Number.NaN;
  const personId = p.personIds[i] ?? Number.NaN;
  const flags = p.flags[i] ?? 0;
  const state = p.states[i] ?? 0;
  const status = personStatuses[p.statuses[i] ?? 255];
  if (!Number.isNaN(personId) && status === undefined) throw new Error(`Row ${p.rowNumbers[i]}: a person status this code does not know.`);
  return {
    rowNumber: p.rowNumbers[i] ?? 0, communityId: Number.isNaN(communityId) ? null : communityId, communityExists: (flags & 1) !== 0, keyValid: (flags & 2) !== 0,
    person: Number.isNaN(personId) || status === undefined ? null : { id: personId, status },
    state: state === 0 ? null : membershipStates[state - 1] ?? null,
  };
}
