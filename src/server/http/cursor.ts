/**
 * The one cursor codec of the list APIs: a cursor is the sort key of the last row sent, as a
 * base64url JSON array. Clients treat it as opaque; a cursor that is not one of ours decodes to
 * undefined, and each list decides what that means (most serve the first page).
 */
import { MAX_ROW_ID } from '../../shared/api.js';

/** What each position of a cursor holds: text, any safe integer, or a row ID (which must fit the column). */
export type CursorPart = 'text' | 'integer' | 'rowId';
type PartValue<P extends CursorPart> = P extends 'text' ? string : number;
export type CursorValues<P extends readonly CursorPart[]> = { -readonly [K in keyof P]: PartValue<P[K]> };

export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function fits(part: CursorPart, value: unknown): boolean {
  if (part === 'text') return typeof value === 'string';
  if (!Number.isSafeInteger(value)) return false;
  return part === 'integer' || ((value as number) >= 0 && (value as number) <= MAX_ROW_ID);
}

/** The cursor's values, or undefined when it is absent or not a cursor of this shape. */
export function decodeCursor<const P extends readonly CursorPart[]>(
  cursor: string | undefined,
  parts: P,
): CursorValues<P> | undefined {
  if (!cursor) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== parts.length) return undefined;
  return parts.every((part, i) => fits(part, value[i])) ? (value as CursorValues<P>) : undefined;
}
