/**
 * Hooks that react to the outcome of an outbox row, run in the same transaction as the row's
 * new state. A feature lists its hooks in its module (`deliveryHooks`); the sender is given them.
 */
import type { DbOrTrx } from '../db/db.js';

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
