/**
 * Sizes a job's batches by time instead of by a fixed row count: a batch holds its database's
 * write lock (SQLite: the one writer; both: the job row) and, since better-sqlite3 answers
 * synchronously, the event loop of a process that also serves pages. The size starts small,
 * doubles while a batch takes under half the target, and halves when one takes over twice the
 * target; it moves in powers of two, so the next batch's prediction (the look-ahead) usually holds.
 */
export interface BatchTiming {
  /** milliseconds a batch should take */
  readonly targetMs: number;
  /** the first batch's rows */
  readonly startRows: number;
  readonly minRows: number;
}

/** SQLite: short batches, so that a page waits at most about this long behind one. */
export const sqliteBatchTiming: BatchTiming = { targetMs: 20, startRows: 500, minRows: 250 };
/** PostgreSQL: the job row stays locked and a shutdown waits about this long for the batch in flight. */
export const postgresBatchTiming: BatchTiming = { targetMs: 1_000, startRows: 2_000, minRows: 200 };

export class BatchSizer {
  private size: number;

  constructor(
    private readonly maxRows: number,
    private readonly timing: BatchTiming,
  ) {
    this.size = Math.max(1, Math.min(maxRows, timing.startRows));
  }

  /** rows for the next batch */
  get rows(): number {
    return this.size;
  }

  /** after a batch of `rows` rows that took `ms` milliseconds */
  record(rows: number, ms: number): void {
    // A short last batch says little about the rate.
    if (rows < this.size) return;
    if (ms < this.timing.targetMs / 2) this.size = Math.min(this.maxRows, this.size * 2);
    else if (ms > this.timing.targetMs * 2) this.size = Math.max(this.timing.minRows, Math.floor(this.size / 2));
  }
}
