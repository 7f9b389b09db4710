/**
 * A direct invite's recipient, in the words of the invite dialog: whether they are invited comes
 * from the memberships transition table (decideInvite, the same answer a Data Tools row gets);
 * this adds only what happens to the invitation email.
 */
import type { InvitationEmailStatus, MembershipState, PersonStatus } from '../../shared/enums.js';
import type { InviteOutcome, InviteReason } from '../../shared/invitations.js';
import { decideInvite, type InviteRefusal } from '../memberships/index.js';

export interface RecipientFacts {
  readonly status: PersonStatus;
  readonly hasEmail: boolean;
  readonly membershipState: MembershipState | undefined;
  readonly suppressed: boolean;
  readonly sendEmail: boolean;
}

export type RecipientOutcome =
  | { readonly invite: true; readonly emailStatus: InvitationEmailStatus; readonly reason: InviteReason }
  | { readonly invite: false; readonly outcome: Exclude<InviteOutcome, 'invited'>; readonly reason: InviteReason };

/** The dialog's words for the transition table's refusals. */
const refusals: Readonly<Record<InviteRefusal, RecipientOutcome>> = Object.freeze({
  person_pending: { invite: false, outcome: 'skipped', reason: 'awaiting_site_approval' },
  person_inactive: { invite: false, outcome: 'skipped', reason: 'inactive' },
  already_member: { invite: false, outcome: 'skipped', reason: 'already_member' },
  already_invited: { invite: false, outcome: 'already_invited', reason: 'already_invited' },
});

export function recipientOutcome(f: RecipientFacts): RecipientOutcome {
  const decision = decideInvite(f.status, f.membershipState);
  if (!decision.invite) return refusals[decision.reason];
  // Pre-verified people are invited silently: they get their personal invite URL, not our email.
  if (f.status === 'pre_verified') return { invite: true, emailStatus: 'pre_verified', reason: 'pre_verified' };
  if (!f.sendEmail) return { invite: true, emailStatus: 'not_sent', reason: 'email_not_requested' };
  if (!f.hasEmail) return { invite: true, emailStatus: 'not_sent', reason: 'no_email_address' };
  if (f.suppressed) return { invite: true, emailStatus: 'suppressed', reason: 'email_suppressed' };
  return { invite: true, emailStatus: 'queued', reason: 'emailed' };
}
