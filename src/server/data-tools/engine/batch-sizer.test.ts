import { describe, expect, it } from 'vitest';
import { BatchSizer, sqliteBatchTiming, sqliteBulkBatchTiming } from './batch-sizer.js';

describe('BatchSizer', () => {
  it('doubles under half the target, halves over twice it, within its bounds', () => {
    const sizer = new BatchSizer(20_000, sqliteBulkBatchTiming);
    expect(sizer.rows).toBe(10_000);
    sizer.record(10_000, 100);
    expect(sizer.rows).toBe(20_000);
    sizer.record(20_000, 100);
    expect(sizer.rows).toBe(20_000);
    sizer.record(20_000, 5_000);
    expect(sizer.rows).toBe(10_000);
    sizer.record(10_000, 5_000);
    sizer.record(5_000, 5_000);
    expect(sizer.rows).toBe(5_000);
    // a short last batch says nothing about the rate
    sizer.record(10, 10_000);
    expect(sizer.rows).toBe(5_000);
  });

  it('starts over from the other timing’s first size when the process starts or stops serving pages', () => {
    const sizer = new BatchSizer(20_000, sqliteBulkBatchTiming);
    sizer.record(10_000, 100);
    expect(sizer.rows).toBe(20_000);
    sizer.use(sqliteBatchTiming);
    expect(sizer.rows).toBe(sqliteBatchTiming.startRows);
    sizer.use(sqliteBatchTiming);
    expect(sizer.rows).toBe(sqliteBatchTiming.startRows);
    sizer.use(sqliteBulkBatchTiming);
    expect(sizer.rows).toBe(sqliteBulkBatchTiming.startRows);
  });
});
