import { describe, expect, it } from 'vitest';
import { addChips, chipsFromText, countRecipients, inviteBody, isSearchText, personChip } from './recipient-chips';

const ada = personChip({
  id: 7,
  email: 'ada@x.org',
  firstName: 'Ada',
  lastName: 'Lovelace',
  status: 'active',
  membershipState: null,
  memberType: null,
  emailHint: 'a•••@x.org',
  canInvite: true,
  cannotInviteReason: null,
});

describe('recipient chips', () => {
  it('turns a pasted list into chips, merging duplicates, with invalid pieces kept apart', () => {
    const chips = addChips([], chipsFromText('b@x.org; B@X.org, Jo <jo@x.org>\nnope'));
    expect(chips.map((c) => c.kind)).toEqual(['email', 'email', 'invalid']);
    expect(countRecipients(chips)).toBe(2);
  });

  it('counts a picked person and their pasted address once (the person wins)', () => {
    const chips = addChips(addChips([], chipsFromText('ada@x.org, c@x.org')), [ada]);
    expect(chips.map((c) => c.key)).toEqual(['p:7', 'e:c@x.org']);
    expect(addChips(chips, chipsFromText('ADA@x.org'))).toHaveLength(2);
  });

  it("identifies a leader's suggestion (no address, only a hint) by id", () => {
    const hinted = personChip({
      id: 9,
      firstName: 'Bo',
      lastName: '',
      memberType: 'Staff',
      emailHint: 'b•••@x.org',
      canInvite: true,
      cannotInviteReason: null,
      membershipState: null,
    });
    expect(hinted).toEqual({ kind: 'person', key: 'p:9', personId: 9, label: 'Bo', email: null });
    expect(inviteBody([hinted], '', true)).toEqual({ personIds: [9], sendEmail: true });
  });

  it('builds the request: person IDs, the addresses and invalid pieces as lines, the message only when written', () => {
    const chips = addChips([ada], chipsFromText('Jo <jo@x.org>, bad'));
    expect(inviteBody(chips, '  ', true)).toEqual({ personIds: [7], emails: '"Jo" <jo@x.org>\nbad', sendEmail: true });
    expect(inviteBody([], 'Hi', false)).toEqual({ message: 'Hi', sendEmail: false });
  });

  it('turns reminders off only for an emailed batch whose sender switched them off', () => {
    expect(inviteBody([ada], '', true, false)).toEqual({ personIds: [7], sendEmail: true, reminders: false });
    expect(inviteBody([ada], '', true, true)).toEqual({ personIds: [7], sendEmail: true });
    expect(inviteBody([ada], '', false, false)).toEqual({ personIds: [7], sendEmail: false });
  });

  it('searches for one fragment, not for a list', () => {
    expect(isSearchText('ada lov')).toBe(true);
    expect(isSearchText('ada@x')).toBe(true);
    expect(isSearchText('a@x.org b@x.org')).toBe(false);
    expect(isSearchText('a, b')).toBe(false);
  });
});
