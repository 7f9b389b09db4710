/**
 * Batch sizes of the invitation sweeps, sized by time: a batch that ran quickly makes the next one
 * twice as large, a slow one halves it. Many due rows then take few, large batches (fewer round
 * trips and statements), while each batch stays a short transaction that a stopped sweep resumes
 * after. The time read here is the process's elapsed time, which paces work; it is not the
 * product's clock.
 */
import { performance } from 'node:perf_hooks';

export interface BatchSizing {
  /** the first batch's size */
  readonly first: number;
  readonly min: number;
  readonly max: number;
  /** the time one batch should take, in milliseconds */
  readonly targetMs: number;
}

/** The sweeps' default: start at 1,000 rows, grow up to 50,000 while a batch takes under a second. */
export const sweepBatchSizing: BatchSizing = { first: 1000, min: 100, max: 50_000, targetMs: 1000 };

/**
 * A batch size that follows the time batches take; `fixed` (a test's batch size) keeps every
 * batch at that size. `elapsed` reads the process's time in milliseconds. `run(size)` runs one batch and returns what it returns.
 */
export function batchSizer(
  fixed: number | undefined,
  sizing: BatchSizing = sweepBatchSizing,
  elapsed: () => number = () => performance.now(),
) {
  let size = fixed ?? sizing.first;
  return {
    get size() {
      return size;
    },
    async run<T>(batch: (size: number) => Promise<T>): Promise<T> {
      const started = elapsed();
      const result = await batch(size);
      if (fixed === undefined) {
        const took = elapsed() - started;
        if (took < sizing.targetMs / 2) size = Math.min(sizing.max, size * 2);
        else if (took > sizing.targetMs * 2) size = Math.max(sizing.min, Math.floor(size / 2));
      }
      return result;
    },
  };
}
