import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../ui/format';
import { personLabel, standingWords } from './invitation-standing';

describe('an invitation’s standing in words', () => {
  const at = Date.UTC(2026, 11, 24, 9, 30);

  it('says until when an open invitation stays open, or that it never expires', () => {
    expect(standingWords({ invitation: 'open', expiresAt: at })).toMatchObject({
      label: 'open',
      detail: `until ${formatDateTime(at)}`,
    });
    expect(standingWords({ invitation: 'open', expiresAt: null }).detail).toBe('never expires');
  });

  it('says declined, and when an expired one expired', () => {
    expect(standingWords({ invitation: 'declined', expiresAt: at }).label).toBe('declined');
    expect(standingWords({ invitation: 'expired', expiresAt: at })).toMatchObject({
      label: 'expired',
      detail: `on ${formatDateTime(at)}`,
    });
    expect(standingWords({ invitation: 'revoked', expiresAt: null, revokedAt: at })).toMatchObject({
      label: 'revoked',
      detail: `on ${formatDateTime(at)}`,
    });
  });

  it('names a person without a name by their address', () => {
    expect(personLabel({ firstName: 'Ada', lastName: 'Active', email: 'ada@example.edu' })).toBe('Ada Active');
    expect(personLabel({ firstName: '', lastName: '', email: 'ada@example.edu' })).toBe('ada@example.edu');
  });
});
