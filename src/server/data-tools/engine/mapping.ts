/**
 * Field mapping: which column is the key field (and what kind of ID it holds) and which columns
 * hold the type's other fields. Guessed from header names; stored as 1-based column indexes.
 */
import crypto from 'node:crypto';
import type { DataJobMapping, MappingInput } from '../../../shared/data-jobs.js';
import type { DataJobType, KeyType } from '../../../shared/enums.js';
import { AppError } from '../../errors.js';

/** The stored form: 1-based column indexes (the API answers it as it is). */
export type Mapping = DataJobMapping;
export type { MappingInput };

const fieldNames = [
  'keyColumn',
  'communityColumn',
  'firstNameColumn',
  'lastNameColumn',
  'emailColumn',
  'memberTypeColumn',
] as const;
type FieldName = (typeof fieldNames)[number];

function norm(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A column by header name (trimmed, any case) or by 1-based index; throws mapping_invalid. */
export function resolveColumn(columns: readonly string[], ref: string | number, field: FieldName): number {
  if (typeof ref === 'number' || /^\d+$/.test(ref)) {
    const n = Number(ref);
    if (n >= 1 && n <= columns.length) return n;
  } else {
    const wanted = ref.trim().toLowerCase();
    const matches = columns.flatMap((c, i) => (c.trim().toLowerCase() === wanted ? [i + 1] : []));
    if (matches.length > 1) {
      throw new AppError(
        'mapping_invalid',
        `${field}: ${matches.length} columns are named "${ref}" (columns ${matches.join(' and ')}); choose one by its number.`,
        { field, columns: matches },
      );
    }
    if (matches.length === 1) return matches[0];
  }
  throw new AppError('mapping_invalid', `${field}: the file has no column "${ref}".`, { field });
}

/** The mapping without the job's options: what a later file with the same headers is offered. */
export function columnsOfMapping(mapping: Mapping): Mapping {
  const { expiresInDays: _option, ...columns } = mapping;
  return columns;
}

/** Checks a mapping against the type and the file's columns; answers the stored form. */
export function resolveMapping(type: DataJobType, columns: readonly string[], input: MappingInput): Mapping {
  const pick = (field: FieldName): number | undefined => {
    const ref = input[field];
    return ref === undefined || ref === null ? undefined : resolveColumn(columns, ref, field);
  };
  const require = (field: FieldName, what: string): number => {
    const v = pick(field);
    if (v === undefined) throw new AppError('mapping_invalid', `${field}: choose the ${what} column.`, { field });
    return v;
  };
  if (type === 'invite_to_community') {
    return {
      keyColumn: require('keyColumn', 'person ID (key field)'),
      keyType: input.keyType,
      communityColumn: require('communityColumn', 'Community ID'),
      ...(input.expiresInDays === undefined ? {} : { expiresInDays: input.expiresInDays }),
    };
  }
  if (input.expiresInDays !== undefined)
    throw new AppError('mapping_invalid', 'expiresInDays: only an invite job makes invitations.', {
      field: 'expiresInDays',
    });
  if (type === 'preverify') {
    const keyColumn = pick('keyColumn') ?? null;
    const emailColumn = pick('emailColumn');
    if (keyColumn === null && emailColumn === undefined) {
      throw new AppError('mapping_invalid', 'keyColumn: choose the Unique ID column, the Email column, or both.', {
        field: 'keyColumn',
      });
    }
    if (input.keyType !== 'unique_id')
      throw new AppError('mapping_invalid', 'keyType: a pre-verify file is keyed by Unique ID.', { field: 'keyType' });
    return {
      keyColumn,
      keyType: 'unique_id',
      emailColumn,
      firstNameColumn: require('firstNameColumn', 'First Name'),
      lastNameColumn: require('lastNameColumn', 'Last Name'),
      memberTypeColumn: pick('memberTypeColumn'),
    };
  }
  if (type === 'update_people') {
    const fields = {
      firstNameColumn: pick('firstNameColumn'),
      lastNameColumn: pick('lastNameColumn'),
      emailColumn: pick('emailColumn'),
      memberTypeColumn: pick('memberTypeColumn'),
    };
    if (Object.values(fields).every((v) => v === undefined))
      throw new AppError(
        'mapping_invalid',
        'firstNameColumn: map at least one field to update (First Name, Last Name, Email or Member Type).',
        { field: 'firstNameColumn' },
      );
    return { keyColumn: require('keyColumn', 'person ID (key field)'), keyType: input.keyType, ...fields };
  }
  return { keyColumn: require('keyColumn', 'Unique ID (key field)'), keyType: input.keyType };
}

const patterns: Record<string, readonly string[]> = {
  community: ['communityid', 'community', 'communityno', 'communitynumber', 'groupid'],
  unique_id: [
    'uniqueid',
    'studentid',
    'alumniid',
    'constituentid',
    'externalid',
    'sisid',
    'crmid',
    'institutionid',
    'uid',
  ],
  preverification_id: ['preverificationid', 'preverifiedid', 'preverifyid'],
  profile_id: ['profileid', 'personid', 'memberid', 'userid'],
  first: ['firstname', 'first', 'givenname', 'forename'],
  last: ['lastname', 'last', 'surname', 'familyname'],
  email: ['email', 'emailaddress', 'mail', 'emailid'],
  memberType: ['membertype', 'type', 'affiliation', 'constituency', 'role'],
};

function find(columns: readonly string[], key: string): number | undefined {
  const wanted = patterns[key];
  const i = columns.findIndex((c) => wanted.includes(norm(c)));
  return i >= 0 ? i + 1 : undefined;
}

/** The 1-based column whose header names this key type (e.g. "Unique ID", "Student ID"), if any. */
export function headerColumnOf(columns: readonly string[], key: KeyType): number | undefined {
  return find(columns, key);
}

/** A guess from the header names (or the documented column order when there is no header). */
export function guessMapping(type: DataJobType, columns: readonly string[], hasHeader: boolean): Mapping | null {
  const n = columns.length;
  if (!hasHeader) {
    if (type === 'invite_to_community')
      return n >= 2 ? { keyColumn: 2, keyType: 'unique_id', communityColumn: 1 } : null;
    if (type === 'preverify' || type === 'update_people')
      return n >= 4
        ? {
            keyColumn: 1,
            keyType: 'unique_id',
            firstNameColumn: 2,
            lastNameColumn: 3,
            emailColumn: 4,
            memberTypeColumn: n >= 5 ? 5 : undefined,
          }
        : null;
    return n >= 1 ? { keyColumn: 1, keyType: 'unique_id' } : null;
  }
  const key = (['unique_id', 'preverification_id', 'profile_id'] as const)
    .map((k) => ({ k, col: find(columns, k) }))
    .find((x) => x.col !== undefined);
  if (type === 'invite_to_community') {
    const communityColumn = find(columns, 'community');
    if (!key || communityColumn === undefined) return null;
    return { keyColumn: key.col ?? null, keyType: key.k, communityColumn };
  }
  if (type === 'preverify') {
    const uid = find(columns, 'unique_id') ?? null;
    const email = find(columns, 'email');
    const first = find(columns, 'first');
    const last = find(columns, 'last');
    if ((uid === null && email === undefined) || first === undefined || last === undefined) return null;
    return {
      keyColumn: uid,
      keyType: 'unique_id',
      firstNameColumn: first,
      lastNameColumn: last,
      emailColumn: email,
      memberTypeColumn: find(columns, 'memberType'),
    };
  }
  if (type === 'update_people') {
    if (!key) return null;
    const fields = {
      firstNameColumn: find(columns, 'first'),
      lastNameColumn: find(columns, 'last'),
      emailColumn: find(columns, 'email'),
      memberTypeColumn: find(columns, 'memberType'),
    };
    if (Object.values(fields).every((v) => v === undefined)) return null;
    return { keyColumn: key.col ?? null, keyType: key.k, ...fields };
  }
  const uid = find(columns, 'unique_id');
  return uid === undefined
    ? n === 1
      ? { keyColumn: 1, keyType: 'unique_id' }
      : null
    : { keyColumn: uid, keyType: 'unique_id' };
}

/** The key under which a mapping is remembered: the type and the header names. */
export function mappingMemoryKey(type: DataJobType, columns: readonly string[]): string {
  const signature = crypto
    .createHash('sha256')
    .update(JSON.stringify(columns.map((c) => c.trim().toLowerCase())))
    .digest('hex')
    .slice(0, 32);
  return `data_tools.mapping.${type}.${signature}`;
}

/** A remembered mapping still fits when every column it names exists. */
export function mappingFits(mapping: Mapping, columns: readonly string[]): boolean {
  return fieldNames.every((f) => {
    const v = mapping[f];
    return v === undefined || v === null || (v >= 1 && v <= columns.length);
  });
}
