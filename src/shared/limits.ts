/** Limits shared by the server and the web app: one source for numbers and messages. */
export const limits = {
  invitationRecipients: 250,
  invitationMessageChars: 2000,
  nameChars: 50,
  emailChars: 254,
  typeaheadMinChars: 2,
  typeaheadResults: 10,
  signInCodeTtlMs: 10 * 60 * 1000,
  signInCodeMaxAttempts: 5,
  signInDailyFailures: 20,
  codeSendMinIntervalMs: 60 * 1000,
  codeSendsPerHour: 5,
  sessionIdleMs: 7 * 24 * 60 * 60 * 1000,
  sessionAbsoluteMs: 30 * 24 * 60 * 60 * 1000,
  resendIntervalMs: 60 * 60 * 1000,
  /** how long after a revoke its author may undo it (the web app offers Undo for 10 s of it) */
  revokeUndoMs: 60 * 1000,
  pageSize: 50,
  /** people one bulk approve may name */
  bulkApproveMax: 500,
} as const;
