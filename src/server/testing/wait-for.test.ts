import { describe, expect, it } from 'vitest';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('returns the first truthy value the check gives, sync or async', async () => {
    let calls = 0;
    expect(await waitFor(() => (++calls >= 3 ? `after ${calls}` : undefined), { what: 'three calls' })).toBe('after 3');
    expect(await waitFor(async () => 42, { what: 'an answer' })).toBe(42);
  });

  it('names what it waited for when the check never holds', async () => {
    // The limit is the subject here: a check that can never hold, so only the limit can end it.
    await expect(waitFor(() => false, { what: 'the impossible', timeoutMs: 50 })).rejects.toThrow(
      /gave up after 50 ms waiting for the impossible/,
    );
    let seen = 0;
    await expect(
      waitFor(() => ++seen < 0, { what: () => `a count below zero (${seen} checks)`, timeoutMs: 30 }),
    ).rejects.toThrow(/a count below zero \(\d+ checks\)/);
  });

  it('ends the wait at once when the check throws', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('the worker died');
        },
        { what: 'a result' },
      ),
    ).rejects.toThrow('the worker died');
  });

  it('by default waits until just before the running test would time out', async () => {
    // This test's own timeout is the subject: waitFor must give up inside it, naming what it awaited.
    const started = Date.now();
    await expect(waitFor(() => false, { what: 'nothing', intervalMs: 50 })).rejects.toThrow(/waiting for nothing/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  }, 2_500);
});
