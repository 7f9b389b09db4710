/**
 * Hooks that react to the outcome of an outbox row, run in the same transaction as the row's
 * new state. A feature adds one line to `deliveryHooks`.
 */
import type { InvitationEmailStatus } from '../../shared/enums.js';
import type { DbOrTrx } from '../db/db.js';
import { setInvitationEmailStatusOfOutbox } from '../memberships/index.js';

export type DeliveryOutcome =
  | 'sent'
  /** no SMTP_URL: kept for reading in the admin Email log */
  | 'kept'
  /** refused for good by the receiving server (the address is now suppressed) */
  | 'bounced'
  /** the address is on the suppression list for this email's category */
  | 'suppressed'
  /** it could no longer be used (a sign-in code past its life) */
  | 'expired'
  /** any other permanent failure (template error, retries exhausted) */
  | 'failed';

export interface DeliveryResult {
  readonly outboxId: number;
  readonly template: string;
  readonly to: string;
  readonly outcome: DeliveryOutcome;
  readonly at: number;
}

export type DeliveryHook = (db: DbOrTrx, result: DeliveryResult) => Promise<void>;

const invitationStatusOf: Partial<Record<DeliveryOutcome, InvitationEmailStatus>> = {
  sent: 'sent',
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
};

export const deliveryHooks: readonly DeliveryHook[] = [updateInvitationEmailStatus];
