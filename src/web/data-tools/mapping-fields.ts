/**
 * The fields each job type maps besides the key field, and the translation between the columns
 * the server names (1-based index, or header name) and the choices in the mapping form.
 */
import type { DataJobType, KeyType } from '../../shared/enums';
import type { ColumnRef, DataJob, DataJobMapping } from './data-jobs.api';

export type FieldName = 'communityColumn' | 'firstNameColumn' | 'lastNameColumn' | 'emailColumn' | 'memberTypeColumn';

export interface MappingField {
  readonly name: FieldName;
  readonly label: string;
  readonly required: boolean;
  readonly description?: string;
}

export const mappingFields: Readonly<Record<DataJobType, readonly MappingField[]>> = {
  invite_to_community: [
    {
      name: 'communityColumn',
      label: 'Community ID',
      required: true,
      description: 'The number shown in Admin → Communities.',
    },
  ],
  preverify: [
    { name: 'firstNameColumn', label: 'First Name', required: true },
    { name: 'lastNameColumn', label: 'Last Name', required: true },
    {
      name: 'emailColumn',
      label: 'Email',
      required: false,
      description: 'May be blank on rows that have a Unique ID.',
    },
    { name: 'memberTypeColumn', label: 'Member Type', required: false },
  ],
  update_people: [
    { name: 'firstNameColumn', label: 'First Name', required: false },
    { name: 'lastNameColumn', label: 'Last Name', required: false },
    {
      name: 'emailColumn',
      label: 'Email',
      required: false,
      description: 'Changes only pre-verified people’s emails.',
    },
    { name: 'memberTypeColumn', label: 'Member Type', required: false },
  ],
  deactivate: [],
  reactivate: [],
};

/** Only an invite job lets the admin choose the kind of ID; the others read Unique IDs. */
export function keyTypesFor(type: DataJobType): readonly KeyType[] {
  return type === 'invite_to_community' || type === 'update_people'
    ? ['unique_id', 'preverification_id', 'profile_id']
    : ['unique_id'];
}

/** A pre-verify file may identify people by email alone; every other job needs a key column. */
export function keyRequired(type: DataJobType): boolean {
  return type !== 'preverify';
}

/** Form values: every column as its 1-based index in text ('' = not mapped). */
export type MappingForm = {
  keyColumn: string;
  keyType: KeyType;
  /** an invite job's option: '' the site's expiry, 'never', or a number of days in text */
  expiresInDays?: string;
} & Partial<Record<FieldName, string>>;

/** An invite job's expiry as the form holds it ('' the site's setting, 'never', or days). */
export function expiryField(days: number | null | undefined): string {
  return days === undefined ? '' : days === null ? 'never' : String(days);
}

/** The expiry option to send: absent for the site's setting. */
export function expiryOption(field: string | undefined): { expiresInDays?: number | null } {
  if (!field) return {};
  return field === 'never' ? { expiresInDays: null } : { expiresInDays: Number(field) };
}

/** The column the server named as a 1-based index in text, '' when there is none. */
export function columnIndex(columns: readonly string[], ref: ColumnRef | undefined | null): string {
  if (ref === undefined || ref === null || ref === '') return '';
  if (typeof ref === 'number') return ref >= 1 && ref <= columns.length ? String(ref) : '';
  const byName = columns.findIndex((column) => column.trim().toLowerCase() === ref.trim().toLowerCase());
  if (byName >= 0) return String(byName + 1);
  return /^\d+$/.test(ref) ? columnIndex(columns, Number(ref)) : '';
}

/** The form's starting values: the job's mapping, else the server's suggestion. */
export function initialForm(job: DataJob): MappingForm {
  const columns = job.columns ?? [];
  const source: Partial<DataJobMapping> = job.mapping ?? job.suggestedMapping ?? {};
  const form: MappingForm = {
    keyColumn: columnIndex(columns, source.keyColumn),
    keyType: source.keyType && keyTypesFor(job.type).includes(source.keyType) ? source.keyType : 'unique_id',
  };
  for (const field of mappingFields[job.type]) form[field.name] = columnIndex(columns, source[field.name]);
  // The expiry is this job's option: only its own mapping carries one.
  if (job.type === 'invite_to_community') form.expiresInDays = expiryField(job.mapping?.expiresInDays);
  return form;
}

/** The mapping to send, columns as 1-based indexes. */
export function toMapping(job: DataJob, form: MappingForm): DataJobMapping {
  const mapping: Record<string, ColumnRef> = { keyType: form.keyType };
  if (form.keyColumn) mapping.keyColumn = Number(form.keyColumn);
  for (const field of mappingFields[job.type]) {
    const value = form[field.name];
    if (value) mapping[field.name] = Number(value);
  }
  if (job.type === 'invite_to_community') Object.assign(mapping, expiryOption(form.expiresInDays));
  return mapping as unknown as DataJobMapping;
}

/** What the form still needs before it can be sent, in words; empty when complete. */
export function missingFields(job: DataJob, form: MappingForm): string[] {
  const missing: string[] = [];
  if (keyRequired(job.type) && !form.keyColumn) missing.push('the key field');
  if (job.type === 'preverify' && !form.keyColumn && !form.emailColumn) missing.push('a Unique ID or an Email column');
  if (job.type === 'update_people' && !mappingFields.update_people.some((f) => form[f.name]))
    missing.push('at least one field to update');
  for (const field of mappingFields[job.type]) if (field.required && !form[field.name]) missing.push(field.label);
  const days = form.expiresInDays;
  if (days && days !== 'never' && !(Number.isInteger(Number(days)) && Number(days) >= 1))
    missing.push('a number of days (1 or more) for the expiry');
  return missing;
}
