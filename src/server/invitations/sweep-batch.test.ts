import { describe, expect, it } from 'vitest';
import { batchSizer } from './sweep-batch.js';

const sizing = { first: 1000, min: 100, max: 8000, targetMs: 1000 };

/** Runs batches that each take `ms` of a hand-moved timer; returns the sizes they were given. */
async function sizesFor(durations: readonly number[], fixed?: number): Promise<number[]> {
  let t = 0;
  const sizer = batchSizer(fixed, sizing, () => t);
  const sizes: number[] = [];
  for (const ms of durations)
    await sizer.run(async (size) => {
      sizes.push(size);
      t += ms;
    });
  return sizes;
}

describe('sweep batch sizes', () => {
  it('doubles after a quick batch up to the maximum, and halves after a slow one down to the minimum', async () => {
    expect(await sizesFor([10, 10, 10, 10, 10])).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(await sizesFor([2500, 2500, 2500, 2500, 2500])).toEqual([1000, 500, 250, 125, 100]);
  });

  it('keeps a batch that takes about the target at its size', async () => {
    expect(await sizesFor([10, 900, 1900, 600])).toEqual([1000, 2000, 2000, 2000]);
  });

  it('keeps a fixed size whatever the batches take', async () => {
    expect(await sizesFor([10, 5000, 10], 2)).toEqual([2, 2, 2]);
  });
});
