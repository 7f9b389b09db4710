/** Upload limits that are not configuration (those are UPLOAD_MAX_BYTES and UPLOAD_MAX_ROWS). */
export const uploadLimits = {
  /** one record (a CSV row), in characters */
  maxRecordBytes: 64 * 1024,
  maxColumns: 200,
  /** records per staging insert */
  stagingBatch: 10_000,
  /** rows in the upload answer's sample */
  sampleRows: 5,
  fileNameChars: 200,
} as const;
