import { describe, expect, it } from 'vitest';
import type { JobRow } from '../db/schema.js';
import { waitingToResumeAt } from './resume.js';

const lease = 60_000;
const now = 1_000_000;
const job = (over: Partial<JobRow>): JobRow => ({
  id: 1,
  name: 'data_jobs.process',
  payload: '{}',
  state: 'running',
  attempts: 1,
  max_attempts: 5,
  run_at: 0,
  locked_by: 'w1',
  locked_until: null,
  last_error: null,
  dedupe_key: null,
  created_at: 0,
  updated_at: 0,
  ...over,
});

describe('waitingToResumeAt', () => {
  it('is null while the worker renews its lease (a renewal every third of it)', () => {
    expect(waitingToResumeAt(job({ locked_until: now + lease }), now, lease)).toBeNull();
    expect(waitingToResumeAt(job({ locked_until: now + lease / 3 }), now, lease)).toBeNull();
  });

  it('after two missed renewals: the lease’s end, when another worker takes the job', () => {
    expect(waitingToResumeAt(job({ locked_until: now + lease / 3 - 1 }), now, lease)).toBe(now + lease / 3 - 1);
  });

  it('once the lease has run out: now (the next worker to look takes it)', () => {
    expect(waitingToResumeAt(job({ locked_until: now - 5_000 }), now, lease)).toBe(now);
  });

  it('a job handed back after a failed attempt waits for its retry time', () => {
    expect(waitingToResumeAt(job({ state: 'queued', attempts: 1, run_at: now + 30_000 }), now, lease)).toBe(
      now + 30_000,
    );
  });

  it('a job never tried, or finished, is not waiting to resume', () => {
    expect(waitingToResumeAt(job({ state: 'queued', attempts: 0, run_at: now + 30_000 }), now, lease)).toBeNull();
    expect(waitingToResumeAt(job({ state: 'completed', locked_until: now - 5_000 }), now, lease)).toBeNull();
  });
});
