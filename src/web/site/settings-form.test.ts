import { describe, expect, it } from 'vitest';
import { defaultSiteSettings } from '../../shared/site-settings';
import { draftOf, fieldErrorsOf, patchOf } from './settings-form';

describe('the site settings form', () => {
  it('sends the settings back as they came when nothing was changed', () => {
    expect(patchOf(draftOf(defaultSiteSettings))).toEqual({ patch: { ...defaultSiteSettings } });
  });

  it('sends null for "never" and for no reminder before the expiry', () => {
    const draft = { ...draftOf(defaultSiteSettings), invitationsExpire: false, remindBeforeExpiry: false };
    expect(patchOf(draft)).toMatchObject({ patch: { invitationExpiryDays: null, reminderBeforeExpiryDays: null } });
  });

  it('reads reminder days separated by commas or spaces; empty means no reminders', () => {
    expect(patchOf({ ...draftOf(defaultSiteSettings), reminderDays: '2,  7 14' })).toMatchObject({
      patch: { reminderDays: [2, 7, 14] },
    });
    expect(patchOf({ ...draftOf(defaultSiteSettings), reminderDays: ' ' })).toMatchObject({
      patch: { reminderDays: [] },
    });
  });

  it('refuses what is not a whole number before asking the API; ranges are left to the API', () => {
    expect(patchOf({ ...draftOf(defaultSiteSettings), reminderDays: '3, soon', invitationExpiryDays: '' })).toEqual({
      errors: {
        reminderDays: expect.stringContaining('whole numbers of days'),
        invitationExpiryDays: 'Enter a whole number.',
      },
    });
    expect(patchOf({ ...draftOf(defaultSiteSettings), invitationExpiryDays: 0 })).toMatchObject({
      patch: { invitationExpiryDays: 0 },
    });
  });

  it('puts the API’s validation messages under their fields, naming a reminder day by its place', () => {
    expect(
      fieldErrorsOf([
        { path: 'invitationExpiryDays', message: 'Too small: expected number to be >=1' },
        { path: 'reminderDays.1', message: 'Too big: expected number to be <=3650' },
        { path: 'reminderDays.2', message: 'second message for the same field is not shown' },
      ]),
    ).toEqual({
      invitationExpiryDays: 'Too small: expected number to be >=1',
      reminderDays: 'Day 2: Too big: expected number to be <=3650',
    });
    expect(fieldErrorsOf(undefined)).toEqual({});
  });
});
