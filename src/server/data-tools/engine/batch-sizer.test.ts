/**
 * Batch sizing by time (batch-sizer.ts): growth and shrinking against the target, and the switch
 * between SQLite's interactive timing and the bulk timing when a process starts or stops serving.
 */
import { describe, expect, it } from 'vitest';
import { BatchSizer, bulkBatchTiming, sqliteInteractiveBatchTiming } from './batch-sizer.js';

describe('BatchSizer', () => {
  it('doubles while batches are quick, halves when slow, never past the job type’s maximum or under the least', () => {
    const sizer = new BatchSizer(5_000, bulkBatchTiming(1_000));
    expect(sizer.rows).toBe(2_000);
    sizer.record(2_000, 100);
    expect(sizer.rows).toBe(4_000);
    sizer.record(4_000, 100);
    expect(sizer.rows).toBe(5_000);
    sizer.record(5_000, 700);
    expect(sizer.rows).toBe(5_000);
    for (let i = 0; i < 10; i++) sizer.record(sizer.rows, 5_000);
    expect(sizer.rows).toBe(200);
  });

  it('ignores a short last batch', () => {
    const sizer = new BatchSizer(50_000, bulkBatchTiming(1_000));
    sizer.record(10, 1);
    expect(sizer.rows).toBe(2_000);
  });

  it('drops to the interactive size at once when requests arrive, and grows back by doubling when they stop', () => {
    const bulk = bulkBatchTiming(1_000);
    const sizer = new BatchSizer(50_000, bulk);
    for (let i = 0; i < 4; i++) sizer.record(sizer.rows, 10);
    expect(sizer.rows).toBe(32_000);
    sizer.use(sqliteInteractiveBatchTiming);
    expect(sizer.rows).toBe(sqliteInteractiveBatchTiming.startRows);
    // 20 ms target: a 30 ms batch keeps the size, a 50 ms one halves it to the least.
    sizer.record(sizer.rows, 30);
    expect(sizer.rows).toBe(500);
    sizer.record(sizer.rows, 50);
    expect(sizer.rows).toBe(sqliteInteractiveBatchTiming.minRows);
    sizer.use(bulk);
    expect(sizer.rows).toBe(250);
    sizer.record(250, 10);
    expect(sizer.rows).toBe(500);
    // Using the same timing again changes nothing.
    sizer.use(bulk);
    expect(sizer.rows).toBe(500);
  });
});
