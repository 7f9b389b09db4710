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

/**
 * SQLite while this process is answering requests: short batches, so that a page waits at most
 * about this long behind one (better-sqlite3 holds the event loop for the whole batch).
 */
export const sqliteInteractiveBatchTiming: BatchTiming = { targetMs: 20, startRows: 500, minRows: 250 };

/**
 * Every other case (a worker, a quiet server, PostgreSQL): long batches, `DATA_JOB_BATCH_MS`
 * (1 s by default). A batch has a fixed cost (the job row, the counters, its statements) that
 * 20 ms batches pay fifty times a second: a million-row job on SQLite takes about ten times as
 * long with them (docs/scaling.md). The job row stays locked, and a shutdown waits, about this long.
 */
export function bulkBatchTiming(targetMs: number): BatchTiming {
  return { targetMs, startRows: 2_000, minRows: 200 };
}

/** A request within this long makes a SQLite job use the interactive timing. */
export const sqliteInteractiveWindowMs = 5_000;

export class BatchSizer {
  private size: number;

  constructor(
    private readonly maxRows: number,
    private timing: BatchTiming,
  ) {
    this.size = Math.max(1, Math.min(maxRows, timing.startRows));
  }

  /**
   * Switches to another timing: to a shorter target at once (the next batch is no larger than
   * that timing's first one), to a longer one by doubling from the current size as batches prove quick.
   */
  use(timing: BatchTiming): void {
    if (timing === this.timing) return;
    if (timing.targetMs < this.timing.targetMs)
      this.size = Math.max(1, Math.min(this.size, this.maxRows, timing.startRows));
    this.timing = timing;
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
