/** What every job type provides: evaluate a batch of staged rows, and (when applying) write it. */
import type { AppContext } from '../../context.js';
import type { DbOrTrx } from '../../db/db.js';
import type { DataJobRow } from '../../db/schema.js';
import type { StagedRow } from './data-job.repository.js';
import type { Mapping } from './mapping.js';
import type { KeySet } from './key-set.js';

/** One row's fate: every data row gets exactly one. */
export interface RowOutcome {
  readonly rowNumber: number;
  readonly outcome: string;
  readonly reason: string | null;
  readonly personId: number | null;
  readonly communityId: number | null;
  /** duplicate_row: the earlier row of the file with the same key (null when not known) */
  readonly duplicateOf?: number | null;
}

/** A row settled with the kind's implied outcome whose final outcome is `to`. */
export interface OutcomeCorrection {
  readonly rowNumber: number;
  readonly to: string;
  readonly personId: number | null;
  readonly communityId: number | null;
}

export interface BatchInput {
  readonly ctx: AppContext;
  readonly job: DataJobRow;
  readonly mapping: Mapping;
  /** the batch: data rows numbered from..to (inclusive) */
  readonly from: number;
  readonly to: number;
  /** the batch's staged rows, parsed (kinds that look rows up in SQL need not read them) */
  loadRows(): Promise<StagedRow[]>;
  /** keys decided by earlier rows of this job (duplicate_row); the kind adds to it */
  readonly seen: KeySet;
  /** false for the dry run: decide, write nothing */
  readonly apply: boolean;
  /**
   * Given when applying: a kind may hand its rows' final outcomes over part by part (they are
   * written in the batch's transaction as they come) instead of returning them all at the end,
   * so that a large batch never holds an object per row. Outcomes returned are settled too.
   * `implied`: rows settled with the kind's impliedOutcome besides those listed, counted only
   * (a kind that has one need not make an object for such a row).
   */
  readonly settle?: (outcomes: RowOutcome[], implied?: number) => Promise<void>;
  /**
   * Given with settle: corrects rows settled with the kind's implied outcome (writes their result
   * rows, moves the counters), in the batch's transaction. Lets a kind settle rows before the
   * write that decides their final outcome, so that the write can take the whole batch at once.
   */
  readonly amend?: (corrections: readonly OutcomeCorrection[]) => Promise<void>;
  readonly now: number;
  /** a run's look-ahead (when the kind opened one), and the next batch's rows for it to look up meanwhile */
  readonly ahead?: LookAheadSession | null;
  readonly next?: { readonly from: number; readonly to: number } | null;
}

/**
 * A run's look-ahead: looks the next batch's rows up elsewhere (another thread or connection)
 * while the current batch writes. The kind checks, in the batch's own transaction, that what was
 * looked up still holds before using it.
 */
export interface LookAheadSession {
  /** after each committed batch */
  afterCommit?(): void;
  close(): Promise<void>;
}

export interface JobKind {
  /** rows per batch (one transaction each) */
  readonly batchSize: number;
  /** rows per batch on SQLite when they differ (each commit there writes every touched page whole) */
  readonly sqliteBatchSize?: number;
  readonly outcomes: readonly string[];
  readonly reasons: readonly string[];
  /**
   * The outcome a processed row has when it has no result row: rows settled with it are counted
   * but not written (their side effect — an invitation naming the job and the row — is their
   * record), so a job writes result rows only for its exceptions. The log reads the staged rows
   * and takes this outcome for a row without a result row (data-job.repository.ts, listResults).
   */
  readonly impliedOutcome?: string;
  /**
   * Every row the batch writes points only at rows the batch itself read in its transaction, so
   * SQLite may skip its per-row foreign-key probes for it (see process.ts). PostgreSQL checks.
   */
  readonly writesOnlyCheckedReferences?: boolean;
  runBatch(db: DbOrTrx, input: BatchInput): Promise<RowOutcome[]>;
  /**
   * The dry run of a large job: starts looking rows from..to up on another thread, and answers a
   * function that decides them in order (after every earlier row), handing the outcomes over in
   * parts; null when this kind or database has no such thread.
   */
  lookAhead?(
    ctx: AppContext,
    job: DataJobRow,
    mapping: Mapping,
    from: number,
    to: number,
  ): Promise<((seen: KeySet, onOutcomes: (outcomes: RowOutcome[]) => void) => void) | null>;
  /** opens a run's look-ahead for a job of several batches; null when this kind or database has none */
  openLookAhead?(ctx: AppContext, db: DbOrTrx, job: DataJobRow, mapping: Mapping): Promise<LookAheadSession | null>;
  /** the duplicate check's keys of rows done before a resume */
  rebuildSeen(db: DbOrTrx, dataJobId: number, upToRow: number, expectedKeys: number): Promise<KeySet>;
}

/** The trimmed value of a 1-based column ('' when the row is shorter). */
export function cell(values: readonly string[], column: number | null | undefined): string {
  if (column === null || column === undefined) return '';
  return (values[column - 1] ?? '').trim();
}

export { parseId } from '../lookup/row-packing.js';

export const skip = (
  rowNumber: number,
  reason: string,
  personId: number | null = null,
  communityId: number | null = null,
): RowOutcome => ({ rowNumber, outcome: 'skipped', reason, personId, communityId });

/** A row skipped because an earlier row of the file (`firstRow`, 0 when not known) had the same key. */
export const duplicateOf = (
  rowNumber: number,
  firstRow: number | undefined,
  personId: number | null = null,
  communityId: number | null = null,
): RowOutcome => ({
  rowNumber,
  outcome: 'skipped',
  reason: 'duplicate_row',
  personId,
  communityId,
  duplicateOf: firstRow ? firstRow : null,
});
