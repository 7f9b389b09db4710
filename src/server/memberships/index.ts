/** Memberships: the membership table's one owner — its queries, the community policy, the transition table. */
export * from './membership.transitions.js';
export * from './membership.policy.js';
export * from './membership.repository.js';
export * from './membership-listing.repository.js';
export * from './invited-directory.repository.js';
export * from './membership-bulk.repository.js';
export * from './membership-audit.js';
export * from './invitation-expiry.repository.js';
export * from './join-request-notice.repository.js';
export * from './invitation-reminder.repository.js';
export * from './table-walk.repository.js';
export * from './funnel.repository.js';
