import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySet } from './key-set.js';

describe('KeySet', () => {
  it('answers like a Set for integers of any size and for strings', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.maxSafeNat(), fc.string({ maxLength: 3 }), fc.constant(-1)),
        ),
        fc.nat(5000),
        (keys, expected) => {
          // Sized for `expected` keys, whether it then holds fewer or more.
          const set = new KeySet(expected);
          const reference = new Set<number | string>();
          for (const k of keys) {
            expect(set.has(k)).toBe(reference.has(k));
            set.add(k);
            reference.add(k);
            expect(set.has(k)).toBe(true);
          }
          expect(set.size).toBe(reference.size);
        },
      ),
    );
  });

  it('remembers the lowest row that added each key, for integers and strings', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(fc.integer({ min: 0, max: 50 }), fc.maxSafeNat(), fc.string({ maxLength: 2 })),
            fc.integer({ min: 1, max: 1_000_000 }),
          ),
        ),
        (adds) => {
          const set = new KeySet();
          const reference = new Map<number | string, number>();
          for (const [k, row] of adds) {
            set.add(k, row);
            reference.set(k, Math.min(row, reference.get(k) ?? row));
          }
          for (const [k, row] of reference) expect(set.firstRow(k)).toBe(row);
          expect(set.firstRow('not added, longer')).toBeUndefined();
        },
      ),
    );
  });

  it('holds a million pair keys, grown or sized for them at once', () => {
    for (const set of [new KeySet(), new KeySet(1_000_000)]) {
      for (let i = 0; i < 1_000_000; i++) set.add((i % 1000) * 2 ** 32 + i);
      expect(set.size).toBe(1_000_000);
      expect(set.has(999 * 2 ** 32 + 999_999)).toBe(true);
      expect(set.has(999 * 2 ** 32 + 999_998)).toBe(false);
    }
    const set = new KeySet(1_000_000);
    for (let i = 0; i < 1_000_000; i++) set.add((i % 1000) * 2 ** 32 + i, i + 2);
    expect(set.size).toBe(1_000_000);
    expect(set.firstRow(999 * 2 ** 32 + 999_999)).toBe(1_000_001);
    expect(set.has(999 * 2 ** 32 + 999_999)).toBe(true);
    expect(set.has(999 * 2 ** 32 + 999_998)).toBe(false);
  });
});
