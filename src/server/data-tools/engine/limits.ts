/** The dry run's sizes. */
export const dryRunLimits = {
  /** rows per dry-run batch (it writes nothing, so small batches cost nothing) */
  batch: 10_000,
  /** from this many rows the dry run looks its two halves up beside the main thread (where a kind can) */
  threadRows: 100_000,
  /** sample rows kept per outcome or reason */
  samples: 5,
} as const;
