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

  // single sign-on: SAML 2.0
  saml_metadata_invalid: {
    status: 400,
    message:
      'That is not valid SAML IdP metadata: it needs an entity ID, a single sign-on URL (HTTP-Redirect) and a signing certificate.',
  },
  saml_metadata_unreachable: { status: 400, message: 'The IdP metadata could not be fetched from that URL.' },
  saml_response_invalid: { status: 400, message: 'The identity provider sent a SAML response that could not be read.' },
  saml_idp_refused: { status: 400, message: 'The identity provider did not sign you in.' },
  saml_signature_invalid: {
    status: 400,
    message: 'The SAML response has no valid signature from the identity provider on its assertion.',
  },
  saml_issuer_mismatch: { status: 400, message: 'The SAML assertion was issued by another identity provider.' },
  saml_audience_mismatch: { status: 400, message: 'The SAML assertion is meant for another service.' },
  saml_recipient_mismatch: { status: 400, message: 'The SAML response was sent to another address.' },
  saml_in_response_to_mismatch: {
    status: 400,
    message: 'The SAML response does not answer the sign-in started in this browser. Start again.',
  },
  saml_response_expired: { status: 400, message: 'The SAML response has expired (or is not valid yet). Start again.' },
  saml_assertion_replayed: { status: 400, message: 'This SAML assertion was already used. Start again.' },
  saml_unique_id_missing: {
    status: 400,
    message: 'The identity provider did not send the attribute that carries your Unique ID.',
  },

  // single sign-on
  sso_provider_unknown: { status: 404, message: 'That sign-in provider is not available on this site.' },
  sso_provider_disabled: { status: 404, message: 'That sign-in provider is turned off. Sign in with an email code.' },
  sso_issuer_unreachable: {
    status: 502,
    message: 'The sign-in provider could not be reached. Try again later, or sign in with an email code.',
  },
  sso_insecure_issuer: {
    status: 400,
    message:
      'The issuer must use https (plain http is allowed only for a loopback address or when the operator allows it).',
  },
  sso_login_expired: {
    status: 400,
    message: 'This sign-in took too long or was already used. Start again from the sign-in page.',
  },
  sso_other_browser: {
    status: 400,
    message: 'This sign-in was started in another browser (or its cookie was lost). Start again in this browser.',
  },
  sso_state_mismatch: {
    status: 400,
    message: 'The answer from the sign-in provider does not belong to a sign-in started here. Start again.',
  },
  sso_nonce_mismatch: {
    status: 400,
    message: 'The sign-in provider’s answer was not made for this sign-in (nonce mismatch). Start again.',
  },
  sso_provider_refused: { status: 400, message: 'The sign-in provider did not sign you in.' },
  sso_response_invalid: { status: 400, message: 'The sign-in provider’s answer could not be checked.' },
  sso_unique_id_missing: {
    status: 400,
    message:
      'The sign-in provider did not send the Unique ID this site needs. Ask a site admin to check the provider’s settings.',
  },
  sso_email_missing: {
    status: 400,
    message: 'The sign-in provider did not send an email address, which this site needs for a new account.',
  },
  sso_email_taken: {
    status: 409,
    message:
      'An account with this email address already exists. Sign in with an email code, then link the provider from your profile.',
  },
  sso_already_linked: { status: 409, message: 'That provider account is already linked to another person.' },
  sso_link_exists: { status: 409, message: 'Your profile is already linked to an account at this provider.' },
  sso_required: { status: 403, message: 'People of your member type sign in through the institution’s provider.' },
  sso_profile_required: {
    status: 400,
    message: 'This page needs details the sign-in provider did not send. Use an email code on this page instead.',
  },
  sso_config_invalid: { status: 400, message: 'The provider’s settings are not valid.' },

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
  invitation_link_invalid: { status: 400, message: 'That invitation link is not valid.' },
  revoke_undo_unavailable: {
    status: 409,
    message:
      'This revoke can no longer be undone: only a revoke you made in the last minute can be. Invite the person again.',
  },
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
  job_not_invite: { status: 409, message: 'Only the invitees of an invite job can be emailed.' },
  job_not_finished: { status: 409, message: 'Email the invitees once the job has finished.' },
  email_rate_invalid: {
    status: 400,
    message: 'The rate must be a whole number of emails per minute, from 1 to 5,000.',
  },

  // email
  unsubscribe_link_invalid: {
    status: 404,
    message: 'This unsubscribe link is not valid. Use the link from the most recent email.',
  },

  // landing
  image_missing: { status: 400, message: 'Choose an image file (PNG, JPEG or WebP) to upload.' },
  image_too_large: {
    status: 413,
    message: 'The image is larger than 2 MB. Save it smaller (or as JPEG or WebP) and upload it again.',
  },
  image_type_unsupported: {
    status: 415,
    message: 'That file is not a PNG, JPEG or WebP image. Save it in one of those formats and upload it again.',
  },
  image_dimensions: {
    status: 400,
    message:
      'The image’s size is not usable: each side must be 16 to 6,000 pixels, the long side at most 8 times the short one.',
  },
  image_alt_too_long: { status: 400, message: 'The image description may have at most 200 characters.' },
  landing_disabled: { status: 404, message: 'This page is not available.' },
  landing_policy_admin_only: {
    status: 403,
    message: 'Only a site admin may let anyone join without approval: that policy creates site accounts.',
  },

  // webhooks
  webhook_url_invalid: { status: 400, message: 'That is not a valid URL.' },
  webhook_url_not_https: {
    status: 400,
    message: 'A webhook URL must start with https:// (http:// only to this machine, where the site allows it).',
  },
  webhook_url_private: {
    status: 400,
    message: 'That URL points to a private or local network address, which this site does not send webhooks to.',
  },
  webhook_not_found: { status: 404, message: 'No such webhook endpoint.' },
  webhook_delivery_not_found: { status: 404, message: 'No such delivery for this endpoint.' },
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
