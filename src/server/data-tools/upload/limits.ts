/** Data Tools limits that are not configuration (those are UPLOAD_MAX_BYTES and UPLOAD_MAX_ROWS). */
export const dataToolLimits = {
  /** one record (a CSV row), in characters */
  maxRecordBytes: 64 * 1024,
  maxColumns: 200,
  /** records per staging insert */
  stagingBatch: 10_000,
  /** rows per dry-run batch (it writes nothing, so small batches cost nothing) */
  dryRunBatch: 10_000,
  /** from this many rows the dry run looks its second half up on another thread (where a kind can) */
  dryRunThreadRows: 100_000,
  /** rows in the upload answer's sample */
  sampleRows: 5,
  /** sample rows kept per outcome or reason in the dry run */
  dryRunSamples: 5,
  fileNameChars: 200,
  resultsPageMax: 500,
} as const;
