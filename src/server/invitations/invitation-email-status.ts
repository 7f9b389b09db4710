/** The invitation email's delivery, as the Invited directory shows it: a delivery hook of the invitations module. */
import type { InvitationEmailStatus } from '../../shared/enums.js';
import type { DeliveryHook, DeliveryOutcome } from '../email/delivery-hooks.js';
import { markInvitationEmailDelivered, setInvitationEmailStatusOfOutbox } from '../memberships/index.js';

const invitationStatusOf: Partial<Record<DeliveryOutcome, InvitationEmailStatus>> = {
  sent: 'sent',
  kept: 'kept',
  bounced: 'failed',
  expired: 'failed',
  failed: 'failed',
  suppressed: 'suppressed',
};

/** The invitation email state shown in a community's Invited directory. */
export const updateInvitationEmailStatus: DeliveryHook = async (db, result) => {
  const status = invitationStatusOf[result.outcome];
  if (!status) return;
  await setInvitationEmailStatusOfOutbox(db, result.outboxId, status);
  // the funnel's "delivered": the SMTP server accepted it (kept mail was never handed to one)
  if (result.outcome === 'sent') await markInvitationEmailDelivered(db, result.outboxId, result.at);
};
