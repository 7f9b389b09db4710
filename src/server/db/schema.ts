/**
 * Row types of every table. Timestamps are epoch milliseconds (integer on SQLite, bigint on
 * PostgreSQL, read back as numbers on both); booleans are 0/1 integers on both dialects so that
 * one repository function reads the same value everywhere.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  DataJobStatus,
  DataJobType,
  InvitationEmailStatus,
  JobState,
  LandingPolicy,
  MembershipRole,
  MembershipSource,
  MembershipState,
  OutboxState,
  PersonStatus,
  Privacy,
} from '../../shared/enums.js';
import type { FeedNotify, FeedRunStatus } from '../../shared/feeds.js';
import type { FunnelScopeKind, FunnelStep } from '../../shared/insights.js';
import type { NotificationKind, NotificationMode } from '../../shared/notifications.js';

export type Millis = number;
export type Flag = 0 | 1;

export interface PersonTable {
  id: Generated<number>;
  unique_id: string | null;
  preverification_id: number | null;
  email: string | null;
  first_name: string;
  last_name: string;
  /** lower-cased "first last", for name search and sorting */
  name_key: string;
  /** lower-cased last name, for "last name starts with" search */
  last_name_key: string;
  member_type_id: number | null;
  status: PersonStatus;
  is_admin: ColumnType<Flag, Flag | undefined, Flag>;
  invite_token_hash: string | null;
  created_at: Millis;
  updated_at: Millis;
  activated_at: Millis | null;
  last_sign_in_at: Millis | null;
}

export interface MemberTypeTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  created_at: Millis;
}

export interface CommunityTable {
  id: Generated<number>;
  name: string;
  slug: string;
  headline: string;
  description: string;
  privacy: Privacy;
  landing_enabled: ColumnType<Flag, Flag | undefined, Flag>;
  landing_policy: LandingPolicy;
  /** comma-separated lower-cased domains for the "domains" policy */
  landing_domains: string;
  landing_headline: string | null;
  landing_welcome: string | null;
  /** 1: a new person must give their name (and member type) on the landing page; 0: they may skip */
  landing_profile_required: ColumnType<Flag, Flag | undefined, Flag>;
  created_by: number | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface CommunitySlugHistoryTable {
  slug: string;
  community_id: number;
  created_at: Millis;
}

export interface MembershipTable {
  community_id: number;
  person_id: number;
  state: MembershipState;
  role: MembershipRole;
  source: MembershipSource;
  invited_by: number | null;
  invited_at: Millis | null;
  data_job_id: number | null;
  /** the data job's CSV row that made this invitation (with data_job_id) */
  data_job_row: number | null;
  message: string | null;
  email_status: InvitationEmailStatus | null;
  email_outbox_id: number | null;
  emailed_at: Millis | null;
  joined_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
  /** when an open invitation expires (the expiry sweep's `expire`); null: never */
  expires_at: Millis | null;
  /** the event that ended the last invitation (decline, expire: state left; revoke, close: state removed) */
  ended_by: InvitationEndEvent | null;
  /** when the open invitation's next reminder is due; null: no reminder (not emailed, turned off, or all sent) */
  next_reminder_at: Millis | null;
  /** reminders queued for this invitation */
  reminders_sent: ColumnType<number, number | undefined, number>;
  /** when the last reminder for this invitation was queued */
  reminded_at: Millis | null;
  /** when the SMTP server accepted this invitation's email (the funnel's "delivered") */
  delivered_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  /** when the invitation's join link was first opened */
  opened_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  /** when the invitee first signed in while the invitation was open */
  signed_in_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  /** who revoked the invitation (ended_by 'revoke'), for the Revoke undo; null otherwise */
  revoked_by: number | null;
  /** when the invitation was revoked; null unless ended_by is 'revoke' */
  revoked_at: Millis | null;
}

/** The events that end an invitation without a join, as `membership.ended_by` records them. */
export type InvitationEndEvent = 'decline' | 'expire' | 'revoke' | 'close';

export interface EmailOutboxTable {
  id: Generated<number>;
  dedupe_key: string;
  to_address: string;
  template: string;
  /** JSON text: the template's data */
  payload: string;
  /** marketing mail honours unsubscribes; transactional (sign-in) does not */
  category: 'transactional' | 'marketing';
  state: OutboxState;
  attempts: number;
  next_attempt_at: Millis;
  /** a sign-in code email that could no longer be used is dropped, not sent late */
  expires_at: Millis | null;
  message_id: string;
  last_error: string | null;
  sent_at: Millis | null;
  /** the person whose action sends it (an inviter), for their daily email quota; null for system email */
  sender_id: number | null;
  created_at: Millis;
  updated_at: Millis;
}

/** One row (id 1): the SMTP server as the senders last found it; no row or null since = reachable. */
export interface EmailTransportStateTable {
  id: number;
  /** when a sender first found the server unreachable in this outage; null once it answers */
  unreachable_since: Millis | null;
  last_error: string | null;
  last_error_at: Millis | null;
  next_probe_at: Millis | null;
  updated_at: Millis;
}

/** A webhook endpoint (site setting): where events go, which ones, and how (batched or one per request). */
export interface WebhookEndpointTable {
  id: Generated<number>;
  url: string;
  description: string;
  /** the Standard Webhooks secret, `whsec_<base64>` */
  secret: string;
  /** JSON text: the event types it wants, e.g. ["person.created"] */
  events: string;
  /** 1: one request per event; 0: batches */
  per_event: Flag;
  enabled: Flag;
  /** why it was turned off: `failing` (a day of failures) or `admin`; null while enabled */
  disabled_reason: string | null;
  /** the first failure since the last success; null when the last request succeeded */
  failing_since: Millis | null;
  /** the sender holding this endpoint (one sender per endpoint at a time) and until when */
  lease_owner: string | null;
  lease_until: Millis | null;
  created_at: Millis;
  updated_at: Millis;
}

/** One event for one endpoint: written in the transaction of the change that made it. */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  endpoint_id: number;
  /** `evt_…`, the same for every endpoint that gets the event (and for a replay) */
  event_id: string;
  event_type: string;
  /** the person the event is about: later events of one person wait for earlier ones */
  person_id: number | null;
  /** JSON text: the event's data */
  data: string;
  /** when the event happened */
  event_at: Millis;
  state: 'queued' | 'delivered';
  attempts: number;
  next_attempt_at: Millis;
  last_status: number | null;
  last_response_ms: number | null;
  last_error: string | null;
  last_attempt_at: Millis | null;
  delivered_at: Millis | null;
  /** the delivery this one replays */
  replay_of: number | null;
  created_at: Millis;
}

export interface JobTable {
  id: Generated<number>;
  name: string;
  /** JSON text */
  payload: string;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: Millis;
  locked_by: string | null;
  locked_until: Millis | null;
  last_error: string | null;
  /** when set, at most one queued or running job has this key */
  dedupe_key: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface SessionTable {
  /** HMAC of the opaque token */
  id: string;
  person_id: number;
  created_at: Millis;
  last_seen_at: Millis;
  expires_at: Millis;
  user_agent: string | null;
}

export interface SignInCodeTable {
  id: Generated<number>;
  email: string;
  code_hash: string;
  link_token_hash: string;
  /** HMAC of the attempt cookie of the browser that asked */
  attempt_hash: string;
  /** 'admin_bootstrap': a link printed by `convene admin add`, not bound to a browser (docs/security.md) */
  purpose: 'sign_in' | 'landing' | 'admin_bootstrap';
  community_id: number | null;
  failed_attempts: number;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
}

export interface RateLimitTable {
  key: string;
  window_start: Millis;
  count: number;
}

export interface ApiTokenTable {
  id: Generated<number>;
  person_id: number;
  name: string;
  token_hash: string;
  /** comma-separated `ApiTokenScope`s */
  scopes: ColumnType<string, string | undefined, string>;
  created_at: Millis;
  /** null: never expires */
  expires_at: Millis | null;
  last_used_at: Millis | null;
  revoked_at: Millis | null;
  /** the admin who created it; null when made on the command line */
  created_by: number | null;
}

export interface SuppressionTable {
  email: string;
  reason: 'unsubscribed' | 'bounced' | 'complained';
  /** 'marketing' blocks invitation mail only; 'all' blocks every email */
  scope: 'marketing' | 'all';
  detail: string | null;
  created_at: Millis;
}

export interface AuditEventTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_type: string;
  target_id: string | null;
  /** JSON text */
  details: string | null;
  created_at: Millis;
}

export interface NotificationSettingTable {
  person_id: number;
  kind: NotificationKind;
  mode: NotificationMode;
  updated_at: Millis;
}

/** A daily digest's progress: one row per kind and UTC day (days since the epoch). */
export interface NotificationDigestTable {
  kind: NotificationKind;
  day: number;
  /** the last recipient whose email is queued (recipients are taken in id order) */
  after_person_id: number;
  /** null while the digest is under way */
  done_at: Millis | null;
  updated_at: Millis;
}

export interface SiteSettingTable {
  key: string;
  /** JSON text */
  value: string;
  updated_at: Millis;
}

export interface IdempotencyKeyTable {
  person_id: number;
  key: string;
  request_hash: string;
  status_code: number;
  /** JSON text of the first answer */
  response: string;
  created_at: Millis;
}

export interface DataJobTable {
  id: Generated<number>;
  type: DataJobType;
  status: DataJobStatus;
  file_name: string;
  /** the admin's name for the job, if any */
  name: ColumnType<string | null, string | null | undefined, string | null>;
  has_header: Flag;
  /** the column separator the file was read with: `,` `;` or a tab */
  delimiter: ColumnType<string, string | undefined, string>;
  /** JSON text: header names (or "Column N") */
  columns: string;
  row_count: number;
  byte_count: number;
  /** JSON text: the mapping, once set */
  mapping: string | null;
  /** JSON text: the dry run, once computed */
  dry_run: string | null;
  /** JSON text: counts by outcome and reason */
  counters: string;
  processed_rows: number;
  cancel_requested: Flag;
  /** 1 while the file is still arriving: hidden, and swept if the upload never finishes */
  uploading: ColumnType<Flag, Flag | undefined, Flag>;
  error: string | null;
  /** why a failed job stopped, as an error code: 'storage_full' (resumable) or null */
  error_code: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: number;
  created_at: Millis;
  updated_at: Millis;
  started_at: Millis | null;
  finished_at: Millis | null;
}

export interface DataJobRowTable {
  data_job_id: number;
  row_number: number;
  /** JSON text: the row's original values */
  values: string;
}

export interface DataJobResultTable {
  data_job_id: number;
  row_number: number;
  outcome: string;
  reason: string | null;
  person_id: number | null;
  community_id: number | null;
  /** duplicate_row: the earlier row of the file with the same key */
  duplicate_of: number | null;
}

/** A landing page's logo or cover image (src/server/landing): the bytes, sniffed type and size. */
export interface LandingImageTable {
  community_id: number;
  content_type: string;
  bytes: Buffer;
  byte_size: number;
  width: number;
  height: number;
  alt: string | null;
  uploaded_by: number | null;
  updated_at: number;
}

/** One confirmed "Email these invitees" of a Data Tools invite job: how many emails it queued, how fast. */
export interface DataJobEmailRunTable {
  id: Generated<number>;
  data_job_id: number;
  /** emails queued by this run */
  queued: number;
  rate_per_minute: number;
  /** the admin who confirmed it */
  created_by: number | null;
  created_at: Millis;
  /** when the run's last email becomes due (the throttle spreads them from created_at) */
  last_send_at: Millis;
}

/** Landing page numbers (src/server/landing): a counter per community, UTC day and metric. */
export interface LandingStatTable {
  community_id: number;
  day: string;
  metric: string;
  count: number;
}

/** Feeds (src/server/feeds): a drop folder whose files become Data Tools jobs. */
export interface FeedTable {
  id: Generated<number>;
  name: string;
  type: DataJobType;
  /** a folder name inside the site's feeds directory */
  folder: string;
  /** JSON text: the mapping input (columns by header name or index) */
  mapping: string;
  has_header: Flag;
  skip_empty: Flag;
  review_above_percent: number | null;
  notify: FeedNotify;
  enabled: Flag;
  /** HMAC of the feed's upload token (PUT /api/feeds/:id/files/:name) */
  upload_token_hash: string;
  created_by: number;
  created_at: Millis;
  updated_at: Millis;
}

/** A file last seen in a feed's folder: taken once its size and time stay the same long enough. */
export interface FeedObservationTable {
  feed_id: number;
  name: string;
  size: number;
  mtime_ms: number;
  /** when the file was first seen with this size and time */
  seen_at: Millis;
  /** 1 once this size and time were taken (or found already taken) */
  taken: ColumnType<Flag, Flag | undefined, Flag>;
}

/** A file a feed took (once per name and content) and the job it became. */
export interface FeedFileTable {
  id: Generated<number>;
  feed_id: number;
  name: string;
  content_hash: string;
  size: number;
  status: FeedRunStatus;
  error: string | null;
  data_job_id: number | null;
  taken_at: Millis;
  finished_at: Millis | null;
}

/**
 * The invitation funnel's counts, kept by triggers on membership: invitations of a scope that
 * reached a step, per week (its Monday 00:00 UTC) or all-time (week 0); a read sums the slots.
 * Key (scope_kind, week, step, scope_id, slot), holding n (SQLite: WITHOUT ROWID); index
 * funnel_counter_scope_idx (scope_kind, scope_id, week, step, n) for one scope's ranges.
 */
export interface FunnelCounterTable {
  scope_kind: FunnelScopeKind;
  /** the community, data job or inviter; 0 for the site */
  scope_id: number;
  week: Millis;
  step: FunnelStep;
  slot: number;
  n: number;
}

/**
 * SQLite's bulk funnel counting (memberships/funnel-bulk.repository.ts): the one row (id 0) names
 * the membership operation whose funnel steps the current statement's caller counts set-based
 * ('insert', 'update', 'delete'), within its transaction; NULL otherwise. Unused on PostgreSQL.
 */
export interface FunnelBulkTable {
  id: number;
  counted_by_caller: 'insert' | 'update' | 'delete' | null;
}

/** Per community, the re-invitations (updates) of a bulk upsert whose inserts its caller counts (SQLite). */
export interface FunnelBulkReinvitedTable {
  community_id: number;
  n: number;
}

/** Named counters (Pre-verification IDs) that bulk jobs reserve in blocks. */
export interface IdSequenceTable {
  name: string;
  next_value: number;
}

/** Members-tab counts kept by triggers; a tab's count is the sum of its key's slots. */
export interface PersonCountTable {
  key: string;
  slot: number;
  n: number;
}

/** Single sign-on: an identity provider (site setting). */
export interface IdentityProviderTable {
  id: Generated<number>;
  kind: 'oidc' | 'saml';
  name: string;
  button_label: string;
  enabled: Flag;
  trust_email: Flag;
  /** JSON: the kind's settings (OIDC issuer, client id, scopes, claim; SAML metadata and attributes) */
  config: string;
  /** the OIDC client secret, encrypted under the site secret (never sent back by the API) */
  client_secret_enc: string | null;
  /** JSON array of member type ids whose people must sign in through this provider */
  required_member_types: ColumnType<string, string | undefined, string>;
  created_at: Millis;
  updated_at: Millis;
}

/** A person's account at an identity provider. */
export interface SsoLinkTable {
  id: Generated<number>;
  provider_id: number;
  unique_id: string;
  person_id: number;
  /** the email the provider asserted when linked, shown on the profile */
  email: string | null;
  /**
   * 1 when this link created the person under an address no one had proved (a provider not
   * trusted for email): the first email code or link for that address removes the link
   */
  email_unverified: ColumnType<Flag, Flag | undefined, Flag>;
  created_at: Millis;
  last_used_at: Millis | null;
}

/** A sign-in started at an identity provider, bound to the browser by a short-lived cookie. */
export interface SsoLoginTable {
  /** the OIDC `state` / SAML RelayState: random, 128 bits */
  id: string;
  provider_id: number;
  /** HMAC of the browser's cookie token */
  browser_hash: string;
  code_verifier: string | null;
  nonce: string | null;
  saml_request_id: string | null;
  /** where to go afterwards (a path on this site) */
  next: string | null;
  /** a landing page's community: its join applies after the sign-in */
  community_id: number | null;
  /** set when a signed-in person links an account */
  link_person_id: number | null;
  /** JSON: the SAML ACS's checked profile or refusal, until /complete reads it */
  outcome: string | null;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
}

/** A SAML assertion ID already accepted from a provider (replay protection), kept until `expires_at`. */
export interface SsoSamlAssertionTable {
  /** the identity provider's id, as in `/api/sso/:id` */
  provider_id: string;
  assertion_id: string;
  used_at: Millis;
  expires_at: Millis;
}

export interface Database {
  identity_provider: IdentityProviderTable;
  sso_link: SsoLinkTable;
  sso_login: SsoLoginTable;
  person: PersonTable;
  member_type: MemberTypeTable;
  community: CommunityTable;
  community_slug_history: CommunitySlugHistoryTable;
  membership: MembershipTable;
  email_outbox: EmailOutboxTable;
  email_transport_state: EmailTransportStateTable;
  job: JobTable;
  session: SessionTable;
  sign_in_code: SignInCodeTable;
  rate_limit: RateLimitTable;
  api_token: ApiTokenTable;
  suppression: SuppressionTable;
  audit_event: AuditEventTable;
  site_setting: SiteSettingTable;
  notification_setting: NotificationSettingTable;
  notification_digest: NotificationDigestTable;
  idempotency_key: IdempotencyKeyTable;
  data_job: DataJobTable;
  data_job_row: DataJobRowTable;
  data_job_result: DataJobResultTable;
  data_job_email_run: DataJobEmailRunTable;
  id_sequence: IdSequenceTable;
  person_count: PersonCountTable;
  landing_stat: LandingStatTable;
  sso_saml_assertion: SsoSamlAssertionTable;
  feed: FeedTable;
  feed_observation: FeedObservationTable;
  feed_file: FeedFileTable;
  landing_image: LandingImageTable;
  funnel_counter: FunnelCounterTable;
  funnel_bulk: FunnelBulkTable;
  funnel_bulk_reinvited: FunnelBulkReinvitedTable;
  webhook_endpoint: WebhookEndpointTable;
  webhook_delivery: WebhookDeliveryTable;
}

export type PersonRow = Selectable<PersonTable>;
export type IdentityProviderRow = Selectable<IdentityProviderTable>;
export type SsoLinkRow = Selectable<SsoLinkTable>;
export type SsoLoginRow = Selectable<SsoLoginTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type CommunityRow = Selectable<CommunityTable>;
export type MembershipRow = Selectable<MembershipTable>;
export type EmailOutboxRow = Selectable<EmailOutboxTable>;
export type EmailTransportStateRow = Selectable<EmailTransportStateTable>;
export type JobRow = Selectable<JobTable>;
export type SessionRow = Selectable<SessionTable>;
export type SignInCodeRow = Selectable<SignInCodeTable>;
export type DataJobRow = Selectable<DataJobTable>;
export type FeedRow = Selectable<FeedTable>;
export type FeedFileRow = Selectable<FeedFileTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
