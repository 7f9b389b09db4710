/** The recipient table, row by row, as a pure function (the HTTP tests check the same rows end to end). */
import { describe, expect, it } from 'vitest';
import { recipientOutcome, type RecipientFacts } from './recipient.js';

const base: RecipientFacts = {
  status: 'active',
  hasEmail: true,
  membershipState: undefined,
  suppressed: false,
  sendEmail: true,
};
const decide = (over: Partial<RecipientFacts>) => recipientOutcome({ ...base, ...over });

describe('recipientOutcome', () => {
  it.each([
    ['active member', {}, { invite: true, emailStatus: 'queued', reason: 'emailed' }],
    [
      'pre-verified, box checked',
      { status: 'pre_verified' },
      { invite: true, emailStatus: 'pre_verified', reason: 'pre_verified' },
    ],
    [
      'pre-verified, box unchecked',
      { status: 'pre_verified', sendEmail: false },
      { invite: true, emailStatus: 'pre_verified', reason: 'pre_verified' },
    ],
    ['person in status invited', { status: 'invited' }, { invite: true, emailStatus: 'queued', reason: 'emailed' }],
    ['pending', { status: 'pending' }, { invite: false, outcome: 'skipped', reason: 'awaiting_site_approval' }],
    ['inactive', { status: 'inactive' }, { invite: false, outcome: 'skipped', reason: 'inactive' }],
    ['already joined', { membershipState: 'joined' }, { invite: false, outcome: 'skipped', reason: 'already_member' }],
    [
      'open invitation',
      { membershipState: 'invited' },
      { invite: false, outcome: 'already_invited', reason: 'already_invited' },
    ],
    ['earlier dismissed', { membershipState: 'dismissed' }, { invite: true, emailStatus: 'queued', reason: 'emailed' }],
    ['earlier left', { membershipState: 'left' }, { invite: true, emailStatus: 'queued', reason: 'emailed' }],
    ['earlier removed', { membershipState: 'removed' }, { invite: true, emailStatus: 'queued', reason: 'emailed' }],
    ['asked to join', { membershipState: 'requested' }, { invite: true, emailStatus: 'queued', reason: 'emailed' }],
    [
      'suppressed address',
      { suppressed: true },
      { invite: true, emailStatus: 'suppressed', reason: 'email_suppressed' },
    ],
    ['box unchecked', { sendEmail: false }, { invite: true, emailStatus: 'not_sent', reason: 'email_not_requested' }],
    [
      'box unchecked, suppressed',
      { sendEmail: false, suppressed: true },
      { invite: true, emailStatus: 'not_sent', reason: 'email_not_requested' },
    ],
    ['no address on file', { hasEmail: false }, { invite: true, emailStatus: 'not_sent', reason: 'no_email_address' }],
    [
      'pending beats membership',
      { status: 'pending', membershipState: 'invited' },
      { invite: false, outcome: 'skipped', reason: 'awaiting_site_approval' },
    ],
  ] as const)('%s', (_name, over, expected) => {
    expect(decide(over)).toEqual(expected);
  });
});
