/** An Invited directory row's invitation in words, for leaders: open (until when), declined, expired or revoked (when). */
import type { InvitedMember } from '../../shared/invitations';
import { formatDateTime } from '../ui/format';

export interface StandingWords {
  readonly label: string;
  readonly detail: string | null;
  readonly color: string;
}

export function standingWords(
  row: Pick<InvitedMember, 'invitation' | 'expiresAt'> & { readonly revokedAt?: number | null },
): StandingWords {
  switch (row.invitation) {
    case 'open':
      return {
        label: 'open',
        detail: row.expiresAt === null ? 'never expires' : `until ${formatDateTime(row.expiresAt)}`,
        color: 'blue',
      };
    case 'declined':
      return { label: 'declined', detail: 'by the invitee', color: 'gray' };
    case 'expired':
      return {
        label: 'expired',
        detail: row.expiresAt === null ? null : `on ${formatDateTime(row.expiresAt)}`,
        color: 'orange',
      };
    case 'revoked':
      return {
        label: 'revoked',
        detail: row.revokedAt ? `on ${formatDateTime(row.revokedAt)}` : null,
        color: 'red',
      };
  }
}

/** A person's name as leaders see it: their name, or their address when they have none. */
export function personLabel(row: Pick<InvitedMember, 'firstName' | 'lastName' | 'email'>): string {
  return `${row.firstName} ${row.lastName}`.trim() || row.email || 'this person';
}
