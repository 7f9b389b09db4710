/**
 * The one catalogue of error codes. The server answers `{ error: { code, message, details } }`
 * with the status listed here; the web app switches on `code`.
 */
import { z } from 'zod';

export const errorCatalogue = {
  bad_request: { status: 400, message: 'The request is not valid.' },
  validation_failed: { status: 400, message: 'Some fields are not valid.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  unsupported_media_type: { status: 415, message: 'Send JSON (Content-Type: application/json).' },
  payload_too_large: { status: 413, message: 'The request is too large.' },
  unauthenticated: { status: 401, message: 'Sign in to continue.' },
  forbidden: { status: 403, message: 'You may not do that.' },
  csrf_rejected: { status: 403, message: 'Requests from other sites are refused.' },
  not_found: { status: 404, message: 'Not found.' },
  conflict: { status: 409, message: 'That conflicts with the current state.' },
  rate_limited: { status: 429, message: 'Too many requests. Wait a moment and try again.' },
  internal_error: { status: 500, message: 'Something went wrong on our side.' },
  feed_folder_taken: { status: 409, message: 'Another feed reads that folder.' },
  feed_file_name_invalid: { status: 400, message: 'The file name is not valid.' },
  feed_disabled: { status: 409, message: 'This feed is switched off.' },
  service_unavailable: { status: 503, message: 'The service is not ready.' },
  database_unavailable: { status: 503, message: 'The database is not reachable right now. Try again in a moment.' },
  storage_full: {
    status: 507,
    message:
      "The server's disk is full, so nothing was saved. Reading still works; ask the site's operator to free disk space.",
  },
  shutting_down: { status: 503, message: 'This server is shutting down. Try again in a moment.' },

  // email
  email_kind_unknown: { status: 400, message: 'That is not a kind of email this site sends.' },

  // auth
  code_invalid: { status: 400, message: 'That code is not valid. Check the latest email and try again.' },
  code_expired: { status: 400, message: 'That code has expired. Ask for a new one.' },
  code_attempts_exceeded: { status: 429, message: 'Too many wrong codes. Ask for a new code.' },
  daily_attempts_exceeded: { status: 429, message: 'Too many wrong codes today for this address. Try again tomorrow.' },
  sign_in_other_browser: {
    status: 400,
    message: 'This browser has no code for that address. Finish in the browser where you asked, or ask for a new code.',
  },
  link_invalid: { status: 400, message: 'This sign-in link is not valid or was already used. Ask for a new one.' },
  account_pending: { status: 403, message: 'Your account is waiting for approval by a site admin.' },
  account_inactive: { status: 403, message: 'Your account is not active. Contact a site admin.' },
  sign_up_closed: { status: 403, message: 'This site does not accept new sign-ups.' },
  invalid_email: { status: 400, message: 'That is not a valid email address.' },
  api_token_expired: { status: 401, message: 'The API token has expired.' },
  api_token_revoked: { status: 401, message: 'The API token was revoked.' },
  api_token_scope: { status: 403, message: 'The API token’s scopes do not allow this request.' },
  api_token_expiry_past: { status: 400, message: 'The expiry must be in the future.' },

  // people
  last_admin: { status: 409, message: 'The last site admin cannot be removed or deactivated.' },
  email_taken: { status: 409, message: 'Another person already has that email address.' },
  unique_id_taken: { status: 409, message: 'Another person already has that Unique ID.' },
  invalid_status_transition: { status: 409, message: 'That action does not fit the person’s status.' },
  approve_too_many: { status: 400, message: 'Approve at most 500 people at a time.' },
  unknown_member_type: { status: 400, message: 'That member type is not configured on this site.' },

  // communities
  slug_taken: { status: 409, message: 'Another community already uses that address.' },
  name_taken: { status: 409, message: 'Another community already has that name.' },

  // invitations
  invitation_limit_exceeded: { status: 400, message: 'At most 250 recipients per invitation.' },
  no_recipients: { status: 400, message: 'Add at least one recipient.' },
  message_too_long: { status: 400, message: 'The message may be at most 2,000 characters.' },
  invitation_quota_exceeded: {
    status: 429,
    message: 'This invitation would take you over your daily limit of invitation emails.',
  },
  resend_too_soon: { status: 429, message: 'This invitation was emailed less than an hour ago.' },
  idempotency_key_reused: { status: 409, message: 'That Idempotency-Key was used for a different request.' },
  invitation_expired: {
    status: 404,
    message: 'This invitation has expired. Ask a leader of the community to invite you again.',
  },

  // data tools
  csv_invalid: { status: 400, message: 'The file is not a valid CSV file.' },
  csv_too_large: { status: 413, message: 'The file is larger than the limit.' },
  csv_too_many_rows: { status: 413, message: 'The file has more rows than the limit.' },
  mapping_invalid: { status: 400, message: 'The field mapping is not valid.' },
  job_state: { status: 409, message: 'The job cannot do that in its current state.' },

  // email
  unsubscribe_link_invalid: {
    status: 404,
    message: 'This unsubscribe link is not valid. Use the link from the most recent email.',
  },

  // landing
  landing_disabled: { status: 404, message: 'This page is not available.' },
  landing_policy_admin_only: {
    status: 403,
    message: 'Only a site admin may let anyone join without approval: that policy creates site accounts.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

const errorCodes = Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]];

/** The JSON body of every error answer. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      details: z.unknown().optional(),
    }),
    /** the request's id, as in the server's logs and the X-Request-Id header: quote it when reporting a problem */
    requestId: z.string().optional(),
  })
  // one component in the OpenAPI document, referred to by every error answer
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.output<typeof errorBodySchema>;
