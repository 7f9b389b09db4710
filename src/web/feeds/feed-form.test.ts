import { describe, expect, it } from 'vitest';
import { emptyFeedForm, feedToForm, formToInput, validateFeedForm, type FeedFormValues } from './feed-form';
import type { Feed } from './feeds-api';

const form = (over: Partial<FeedFormValues>): FeedFormValues => ({
  ...emptyFeedForm(),
  name: 'Nightly',
  folder: 'slate',
  ...over,
});

describe('the feed form', () => {
  it('sends the columns by header name, a number as a column number, and leaves out empty fields', () => {
    const input = formToInput(
      form({
        columns: { firstNameColumn: ' First Name ', lastNameColumn: '3', emailColumn: '' },
        reviewAbovePercent: '',
      }),
    );
    expect(input.mapping).toEqual({
      keyType: 'unique_id',
      keyColumn: 'Unique ID',
      firstNameColumn: 'First Name',
      lastNameColumn: 3,
    });
    expect(input.reviewAbovePercent).toBeNull();
    expect(input).toMatchObject({ name: 'Nightly', folder: 'slate', type: 'preverify', hasHeader: true });
  });

  it('sends only the fields of the chosen type, and a kind of ID only where the type has a choice', () => {
    const deactivate = formToInput(form({ type: 'deactivate', keyType: 'profile_id', keyColumn: 'ID' }));
    expect(deactivate.mapping).toEqual({ keyType: 'unique_id', keyColumn: 'ID' });
    const invite = formToInput(
      form({
        type: 'invite_to_community',
        keyType: 'profile_id',
        keyColumn: 'ID',
        columns: { communityColumn: 'Community' },
      }),
    );
    expect(invite.mapping).toEqual({ keyType: 'profile_id', keyColumn: 'ID', communityColumn: 'Community' });
  });

  it('names what is missing or wrong, field by field', () => {
    expect(validateFeedForm(form({}))).toEqual({});
    expect(validateFeedForm(form({ name: ' ', folder: '../etc', reviewAbovePercent: '101' }))).toEqual({
      name: 'Enter a name',
      folder: 'Use letters, digits, "-", "_" and "." only',
      reviewAbovePercent: 'A whole percent, 0 to 100, or empty',
    });
    expect(validateFeedForm(form({ type: 'deactivate', keyColumn: '' }))).toEqual({
      keyColumn: 'Name the column with the ID',
    });
    expect(validateFeedForm(form({ type: 'invite_to_community', columns: {} }))).toEqual({
      'columns.communityColumn': 'Name the Community ID column',
    });
    expect(
      validateFeedForm(
        form({ type: 'preverify', keyColumn: '', columns: { firstNameColumn: 'F', lastNameColumn: 'L' } }),
      ),
    ).toEqual({ keyColumn: 'Name a Unique ID or an Email column' });
    expect(validateFeedForm(form({ type: 'update_people', columns: {} }))).toEqual({
      'columns.firstNameColumn': 'Name at least one field to update',
    });
  });

  it('reads a feed back into the form as it was sent', () => {
    const values = form({
      type: 'update_people',
      keyType: 'preverification_id',
      keyColumn: 'PVID',
      columns: { emailColumn: 'Email', memberTypeColumn: '5' },
      reviewAbovePercent: '',
      notify: 'refusals',
      enabled: false,
    });
    const input = formToInput(values);
    const feed: Feed = {
      id: 7,
      name: input.name,
      type: input.type,
      folder: input.folder,
      mapping: { ...input.mapping, keyType: input.mapping.keyType ?? 'unique_id' },
      hasHeader: true,
      skipEmpty: true,
      reviewAbovePercent: null,
      notify: 'refusals',
      enabled: false,
      uploadPath: '/api/feeds/7/files/',
      createdAt: 0,
      lastRunAt: null,
    };
    expect(formToInput(feedToForm(feed))).toEqual(input);
  });
});
