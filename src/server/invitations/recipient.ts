/**
 * The product's recipient table as one pure function: given what the site knows about a
 * recipient, what happens to them and to their email.
 */
import type { InvitationEmailStatus, MembershipState, PersonStatus } from '../../shared/enums.js';
import type { InviteOutcome, InviteReason } from '../../shared/invitations.js';
import { reinvitableStates } from './invitation.repository.js';

export interface RecipientFacts {
  readonly status: PersonStatus;
  readonly hasEmail: boolean;
  readonly membershipState: MembershipState | undefined;
  readonly suppressed: boolean;
  readonly sendEmail: boolean;
}

export type RecipientDecision =
  | { readonly invite: true; readonly emailStatus: InvitationEmailStatus; readonly reason: InviteReason }
  | { readonly invite: false; readonly outcome: Exclude<InviteOutcome, 'invited'>; readonly reason: InviteReason };

export function decideRecipient(f: RecipientFacts): RecipientDecision {
  if (f.status === 'pending') return { invite: false, outcome: 'skipped', reason: 'awaiting_site_approval' };
  if (f.status === 'inactive') return { invite: false, outcome: 'skipped', reason: 'inactive' };
  if (f.membershipState === 'joined') return { invite: false, outcome: 'skipped', reason: 'already_member' };
  if (f.membershipState === 'invited') return { invite: false, outcome: 'already_invited', reason: 'already_invited' };
  if (f.membershipState !== undefined && !reinvitableStates.includes(f.membershipState)) {
    return { invite: false, outcome: 'skipped', reason: 'already_member' };
  }
  // Pre-verified people are invited silently: they get their personal invite URL, not our email.
  if (f.status === 'pre_verified') return { invite: true, emailStatus: 'pre_verified', reason: 'pre_verified' };
  if (!f.sendEmail) return { invite: true, emailStatus: 'not_sent', reason: 'email_not_requested' };
  if (!f.hasEmail) return { invite: true, emailStatus: 'not_sent', reason: 'no_email_address' };
  if (f.suppressed) return { invite: true, emailStatus: 'suppressed', reason: 'email_suppressed' };
  return { invite: true, emailStatus: 'queued', reason: 'emailed' };
}
