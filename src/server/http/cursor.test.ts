import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('list cursors', () => {
  it('decode to what was encoded, by the shape asked for', () => {
    expect(decodeCursor(encodeCursor(['ada lovelace', 42]), ['text', 'rowId'])).toEqual(['ada lovelace', 42]);
    expect(decodeCursor(encodeCursor([1_700_000_000_000, 7]), ['integer', 'rowId'])).toEqual([1_700_000_000_000, 7]);
  });

  it('are undefined when absent, not ours, of another shape, or naming an ID no row can have', () => {
    expect(decodeCursor(undefined, ['text', 'rowId'])).toBeUndefined();
    expect(decodeCursor('', ['text', 'rowId'])).toBeUndefined();
    expect(decodeCursor('%ZZ', ['text', 'rowId'])).toBeUndefined();
    expect(decodeCursor('99999999999', ['integer', 'rowId'])).toBeUndefined();
    expect(decodeCursor(encodeCursor([1, 2]), ['text', 'rowId'])).toBeUndefined();
    expect(decodeCursor(encodeCursor(['a', 2, 3]), ['text', 'rowId'])).toBeUndefined();
    expect(decodeCursor(encodeCursor(['a', 2 ** 31]), ['text', 'rowId'])).toBeUndefined();
    expect(decodeCursor(encodeCursor(['a', -1]), ['text', 'rowId'])).toBeUndefined();
    expect(decodeCursor(encodeCursor(['a', 1.5]), ['text', 'rowId'])).toBeUndefined();
  });
});
