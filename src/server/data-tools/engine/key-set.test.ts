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

  it('holds a million pair keys, grown or sized for them at once', () => {
    for (const set of [new KeySet(), new KeySet(1_000_000)]) {
      for (let i = 0; i < 1_000_000; i++) set.add((i % 1000) * 2 ** 32 + i);
      expect(set.size).toBe(1_000_000);
      expect(set.has(999 * 2 ** 32 + 999_999)).toBe(true);
      expect(set.has(999 * 2 ** 32 + 999_998)).toBe(false);
    }
    const set = new KeySet(1_000_000);
    for (let i = 0; i < 1_000_000; i++) set.add((i % 1000) * 2 ** 32 + i);
    expect(set.size).toBe(1_000_000);
    expect(set.has(999 * 2 ** 32 + 999_999)).toBe(true);
    expect(set.has(999 * 2 ** 32 + 999_998)).toBe(false);
  });
});
