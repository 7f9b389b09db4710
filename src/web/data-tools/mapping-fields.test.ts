import { describe, expect, it } from 'vitest';
import type { DataJob } from './data-jobs.api';
import { columnIndex, initialForm, missingFields, toMapping } from './mapping-fields';
import { formatDuration, reasonLabel } from './words';

const job = (over: Partial<DataJob>): DataJob => ({
  id: 1,
  type: 'invite_to_community',
  status: 'uploaded',
  fileName: 'f.csv',
  rowCount: 3,
  createdAt: 0,
  startedAt: null,
  finishedAt: null,
  counters: { outcomes: {}, reasons: {} },
  progress: { done: 0, total: 3, ratePerSecond: null, secondsLeft: null },
  createdBy: { id: 1, name: 'Ada Admin' },
  hasHeader: true,
  delimiter: ',',
  name: null,
  columns: ['Unique ID', 'Community ID', 'Note'],
  sample: [],
  suggestedMapping: null,
  mappingRemembered: false,
  mapping: null,
  dryRun: null,
  error: null,
  errorCode: null,
  resumable: false,
  canUndo: false,
  waitingToResumeAt: null,
  expiredInvitations: 0,
  ...over,
});

describe('mapping form', () => {
  it('reads columns named by 1-based index, header name (any case, trimmed) or digit string', () => {
    const columns = ['Unique ID', 'Community ID'];
    expect(columnIndex(columns, 2)).toBe('2');
    expect(columnIndex(columns, ' community id ')).toBe('2');
    expect(columnIndex(columns, '1')).toBe('1');
    expect(columnIndex(columns, 3)).toBe('');
    expect(columnIndex(columns, null)).toBe('');
  });

  it('starts from the job’s mapping, else the server’s guess, and sends indexes as numbers', () => {
    const guessed = job({ suggestedMapping: { keyColumn: 1, keyType: 'unique_id', communityColumn: 2 } });
    const form = initialForm(guessed);
    expect(form).toEqual({ keyColumn: '1', keyType: 'unique_id', communityColumn: '2', expiresInDays: '' });
    expect(toMapping(guessed, form)).toEqual({ keyColumn: 1, keyType: 'unique_id', communityColumn: 2 });
    const mapped = job({ ...guessed, mapping: { keyColumn: 3, keyType: 'profile_id', communityColumn: 2 } });
    expect(initialForm(mapped)).toMatchObject({ keyColumn: '3', keyType: 'profile_id' });
  });

  it('sends an invite job’s expiry only when the admin chose one: days, or never', () => {
    const invite = job({ mapping: { keyColumn: 1, keyType: 'unique_id', communityColumn: 2, expiresInDays: null } });
    const form = initialForm(invite);
    expect(form.expiresInDays).toBe('never');
    expect(toMapping(invite, form)).toMatchObject({ expiresInDays: null });
    expect(toMapping(invite, { ...form, expiresInDays: '14' })).toMatchObject({ expiresInDays: 14 });
    expect(toMapping(invite, { ...form, expiresInDays: '' })).not.toHaveProperty('expiresInDays');
    expect(missingFields(invite, { ...form, expiresInDays: '0' })).toEqual([
      'a number of days (1 or more) for the expiry',
    ]);
  });

  it('says what is still missing: the key field and Community ID for invites; ID or email and names for pre-verify', () => {
    const invite = job({});
    expect(missingFields(invite, { keyColumn: '', keyType: 'unique_id' })).toEqual(['the key field', 'Community ID']);
    const preverify = job({ type: 'preverify', columns: ['Email', 'First', 'Last'] });
    expect(
      missingFields(preverify, {
        keyColumn: '',
        keyType: 'unique_id',
        emailColumn: '1',
        firstNameColumn: '2',
        lastNameColumn: '3',
      }),
    ).toEqual([]);
    expect(
      missingFields(preverify, { keyColumn: '', keyType: 'unique_id', firstNameColumn: '2', lastNameColumn: '3' }),
    ).toEqual(['a Unique ID or an Email column']);
    // a pre-verify file keyed by email alone sends no key column
    expect(
      toMapping(preverify, {
        keyColumn: '',
        keyType: 'unique_id',
        emailColumn: '1',
        firstNameColumn: '2',
        lastNameColumn: '3',
      }),
    ).toEqual({
      keyType: 'unique_id',
      emailColumn: 1,
      firstNameColumn: 2,
      lastNameColumn: 3,
    });
  });
});

describe('words', () => {
  it('turns reason codes into the admin’s words, and unknown codes into a sentence', () => {
    expect(reasonLabel('unknown_person')).toBe('Unknown person ID');
    expect(reasonLabel('unknown_community')).toBe('Unknown Community ID');
    expect(reasonLabel('some_new_reason')).toBe('Some new reason');
    expect(reasonLabel(null)).toBe('');
  });

  it('formats time left', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(12.4)).toBe('12 s');
    expect(formatDuration(185)).toBe('about 3 min');
    expect(formatDuration(3900)).toBe('1 h 5 min');
  });
});
