/**
 * The feed form's values and their translation to and from the API: the mapping is kept as the
 * file's header names (or column numbers) per field of the job type, as a feed's files arrive
 * later and no sample is at hand.
 */
import type { DataJobType, KeyType } from '../../shared/enums';
import type { FeedNotify } from '../../shared/feeds';
import { keyRequired, keyTypesFor, mappingFields, type FieldName } from '../data-tools/mapping-fields';
import type { Feed, FeedCreate } from './feeds-api';

export interface FeedFormValues {
  name: string;
  type: DataJobType;
  folder: string;
  keyColumn: string;
  keyType: KeyType;
  columns: Partial<Record<FieldName, string>>;
  hasHeader: boolean;
  skipEmpty: boolean;
  /** '' = always run, else a whole percent in text */
  reviewAbovePercent: string;
  notify: FeedNotify;
  enabled: boolean;
}

export const notifyWords: Readonly<Record<FeedNotify, string>> = {
  every_run: 'After every run',
  refusals: 'Only when rows are refused or a run fails',
  never: 'Never',
};

export function emptyFeedForm(): FeedFormValues {
  return {
    name: '',
    type: 'preverify',
    folder: '',
    keyColumn: 'Unique ID',
    keyType: 'unique_id',
    columns: { firstNameColumn: 'First Name', lastNameColumn: 'Last Name', emailColumn: 'Email' },
    hasHeader: true,
    skipEmpty: true,
    reviewAbovePercent: '10',
    notify: 'every_run',
    enabled: true,
  };
}

function text(ref: string | number | null | undefined): string {
  return ref === null || ref === undefined ? '' : String(ref);
}

export function feedToForm(feed: Feed): FeedFormValues {
  const columns: Partial<Record<FieldName, string>> = {};
  for (const field of mappingFields[feed.type]) columns[field.name] = text(feed.mapping[field.name]);
  return {
    name: feed.name,
    type: feed.type,
    folder: feed.folder,
    keyColumn: text(feed.mapping.keyColumn),
    keyType: feed.mapping.keyType,
    columns,
    hasHeader: feed.hasHeader,
    skipEmpty: feed.skipEmpty,
    reviewAbovePercent: feed.reviewAbovePercent === null ? '' : String(feed.reviewAbovePercent),
    notify: feed.notify,
    enabled: feed.enabled,
  };
}

/** A column as typed: a number when the file has no header (or the admin typed one), else the header name. */
function columnRef(value: string): string | number {
  const v = value.trim();
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** The body to send (create; a change omits the type). */
export function formToInput(values: FeedFormValues): FeedCreate {
  const mapping: FeedCreate['mapping'] = {
    keyType: keyTypesFor(values.type).includes(values.keyType) ? values.keyType : 'unique_id',
  };
  if (values.keyColumn.trim()) mapping.keyColumn = columnRef(values.keyColumn);
  for (const field of mappingFields[values.type]) {
    const value = values.columns[field.name]?.trim();
    if (value) mapping[field.name] = columnRef(value);
  }
  return {
    name: values.name.trim(),
    type: values.type,
    folder: values.folder.trim(),
    mapping,
    hasHeader: values.hasHeader,
    skipEmpty: values.skipEmpty,
    reviewAbovePercent: values.reviewAbovePercent.trim() === '' ? null : Number(values.reviewAbovePercent),
    notify: values.notify,
    enabled: values.enabled,
  };
}

/** What the form still needs, field by field (Mantine's validate shape). */
export function validateFeedForm(values: FeedFormValues): Partial<Record<string, string>> {
  const errors: Partial<Record<string, string>> = {};
  if (!values.name.trim()) errors.name = 'Enter a name';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(values.folder.trim()) || values.folder.includes('..'))
    errors.folder = 'Use letters, digits, "-", "_" and "." only';
  if (keyRequired(values.type) && !values.keyColumn.trim()) errors.keyColumn = 'Name the column with the ID';
  for (const field of mappingFields[values.type])
    if (field.required && !values.columns[field.name]?.trim())
      errors[`columns.${field.name}`] = `Name the ${field.label} column`;
  if (values.type === 'preverify' && !values.keyColumn.trim() && !values.columns.emailColumn?.trim())
    errors.keyColumn = 'Name a Unique ID or an Email column';
  if (values.type === 'update_people' && !mappingFields.update_people.some((f) => values.columns[f.name]?.trim()))
    errors['columns.firstNameColumn'] = 'Name at least one field to update';
  const p = values.reviewAbovePercent.trim();
  if (p !== '' && !(/^\d+$/.test(p) && Number(p) <= 100))
    errors.reviewAbovePercent = 'A whole percent, 0 to 100, or empty';
  return errors;
}
