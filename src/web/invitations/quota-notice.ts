/**
 * What the invite dialog says about the inviter's daily invitation emails. The dialog counts every
 * recipient as an email when sending is on (the server then skips pre-verified people, members and
 * the like, so the count may be high, never low).
 */
import type { InviteQuota } from '../../shared/invitations';

export interface QuotaNotice {
  readonly text: string;
  /** the batch would go over the quota: sending is disabled */
  readonly blocked: boolean;
}

const emails = (n: number) => `${n.toLocaleString('en-US')} invitation email${n === 1 ? '' : 's'}`;

export function quotaNotice(
  quota: InviteQuota | undefined,
  recipients: number,
  sendEmail: boolean,
): QuotaNotice | null {
  if (!quota) return null;
  const left = `${emails(quota.remaining)} left today`;
  if (!sendEmail || recipients <= quota.remaining) return { text: left, blocked: false };
  return {
    text: `${left}: this batch could send ${emails(recipients)}. Remove ${(recipients - quota.remaining).toLocaleString('en-US')} recipients, or switch off sending emails.`,
    blocked: true,
  };
}
