/**
 * The fields each job type maps besides the key field, and the translation between the columns
 * the server names (header name, or 1-based index) and the choices in the mapping form.
 */
import type { DataJobType, KeyType } from '../../shared/enums';
import type { DataJob, DataJobMapping } from './data-jobs.api';

export interface MappingField {
  /** the property of the mapping the server reads, e.g. `communityColumn` */
  readonly name: string;
  readonly label: string;
  readonly required: boolean;
  readonly description?: string;
}

export const mappingFields: Readonly<Record<DataJobType, readonly MappingField[]>> = {
  invite_to_community: [
    { name: 'communityColumn', label: 'Community ID column', required: true, description: 'The number shown in Admin → Communities.' },
  ],
  preverify: [
    { name: 'firstNameColumn', label: 'First Name column', required: true },
    { name: 'lastNameColumn', label: 'Last Name column', required: true },
    { name: 'emailColumn', label: 'Email column', required: false, description: 'May be blank on rows that have a Unique ID.' },
    { name: 'memberTypeColumn', label: 'Member Type column', required: false },
  ],
  deactivate: [],
  reactivate: [],
};

/** Only an invite job lets the admin choose the kind of ID; the others read Unique IDs. */
export function keyTypesFor(type: DataJobType): readonly KeyType[] {
  return type === 'invite_to_community' ? ['unique_id', 'preverification_id', 'profile_id'] : ['unique_id'];
}

/** Form values: every column as its 1-based index in text ('' = not mapped). */
export type MappingForm = Record<string, string> & { keyColumn: string; keyType: KeyType };

/** The column the server named (header name or index) as a 1-based index, '' when not found. */
export function columnIndex(columns: readonly string[], named: string | undefined): string {
  if (named === undefined || named === null || named === '') return '';
  const byName = columns.findIndex((column) => column.trim().toLowerCase() === String(named).trim().toLowerCase());
  if (byName >= 0) return String(byName + 1);
  const index = Number(named);
  return Number.isInteger(index) && index >= 1 && index <= columns.length ? String(index) : '';
}

/** The form's starting values: the saved mapping, else the server's guess. */
export function initialForm(job: DataJob, from?: Partial<DataJobMapping> | null): MappingForm {
  const source = from ?? job.mapping ?? job.suggestedMapping ?? {};
  const form: MappingForm = {
    keyColumn: columnIndex(job.columns, source.keyColumn),
    keyType: source.keyType && keyTypesFor(job.type).includes(source.keyType) ? source.keyType : 'unique_id',
  };
  for (const field of mappingFields[job.type]) form[field.name] = columnIndex(job.columns, source[field.name]);
  return form;
}

/** The mapping to send: header names where they are unique, else 1-based indexes. */
export function toMapping(job: DataJob, form: MappingForm): DataJobMapping {
  const name = (index: string): string | undefined => {
    if (!index) return undefined;
    const header = job.columns[Number(index) - 1];
    const unique = header !== undefined && job.columns.filter((column) => column === header).length === 1;
    return job.hasHeader !== false && unique ? header : index;
  };
  const mapping: Record<string, string | undefined> = { keyColumn: name(form.keyColumn) ?? '', keyType: form.keyType };
  for (const field of mappingFields[job.type]) {
    const value = name(form[field.name] ?? '');
    if (value !== undefined) mapping[field.name] = value;
  }
  return mapping as DataJobMapping;
}

/** Whether two mappings choose the same columns. */
export function sameForm(a: MappingForm, b: MappingForm): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => (a[key] ?? '') === (b[key] ?? ''));
}
