/** The words of the product, as the API and the database spell them. */
export const personStatuses = ['pre_verified', 'invited', 'pending', 'active', 'inactive'] as const;
export type PersonStatus = (typeof personStatuses)[number];

export const privacies = ['public', 'private', 'invite_only'] as const;
export type Privacy = (typeof privacies)[number];

export const membershipStates = ['invited', 'joined', 'requested', 'dismissed', 'left', 'removed'] as const;
export type MembershipState = (typeof membershipStates)[number];

export const membershipRoles = ['member', 'leader'] as const;
export type MembershipRole = (typeof membershipRoles)[number];

export const membershipSources = ['direct', 'data_job', 'landing', 'request', 'admin'] as const;
export type MembershipSource = (typeof membershipSources)[number];

/** The state of the invitation email of one membership. */
/** `kept`: the site has no SMTP server; the email was kept for reading in the admin Email log. */
export const invitationEmailStatuses = [
  'not_sent',
  'queued',
  'sent',
  'kept',
  'failed',
  'suppressed',
  'pre_verified',
] as const;
export type InvitationEmailStatus = (typeof invitationEmailStatuses)[number];

export const landingPolicies = ['anyone', 'domains', 'known'] as const;
export type LandingPolicy = (typeof landingPolicies)[number];

export const outboxStates = ['queued', 'sending', 'sent', 'failed', 'kept'] as const;
export type OutboxState = (typeof outboxStates)[number];

export const jobStates = ['queued', 'running', 'completed', 'failed'] as const;
export type JobState = (typeof jobStates)[number];

export const dataJobTypes = ['invite_to_community', 'preverify', 'update_people', 'deactivate', 'reactivate'] as const;
export type DataJobType = (typeof dataJobTypes)[number];

export const dataJobStatuses = ['uploaded', 'mapped', 'queued', 'running', 'completed', 'failed', 'canceled'] as const;
export type DataJobStatus = (typeof dataJobStatuses)[number];

export const keyTypes = ['unique_id', 'preverification_id', 'profile_id'] as const;
export type KeyType = (typeof keyTypes)[number];

/** What an API token may do: `read` safe GETs, `data_jobs` those and every Data Tools route, `full` all an admin may. */
export const apiTokenScopes = ['read', 'data_jobs', 'full'] as const;
export type ApiTokenScope = (typeof apiTokenScopes)[number];
