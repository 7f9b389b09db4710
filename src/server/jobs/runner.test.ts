import { describe, expect, it } from 'vitest';
import { createRuntime } from '../bootstrap.js';
import type { DbOrTrx } from '../db/db.js';
import { describeEachDb, testConfig } from '../testing/test-db.js';
import { waitFor } from '../testing/wait-for.js';
import { type AnyJobHandler, LeaseLostError, PermanentJobError } from './job-handler.js';
import { claimJob, enqueueJob, failAbandonedJobs, findJob } from './queue.repository.js';
import type { JobName } from './registry.js';
import { runNextJob, startJobRunner } from './runner.js';

/** Test jobs use names outside the registry, with their own handlers. */
function enqueue(
  db: DbOrTrx,
  name: string,
  payload: unknown,
  now: number,
  maxAttempts = 5,
): Promise<number | undefined> {
  return enqueueJob(db, name as JobName, payload as never, now, { maxAttempts });
}

const lease = 30_000;

describeEachDb('job runner', (t) => {
  const opts = (handlers: Record<string, AnyJobHandler>, workerId = 'w1') => ({
    handlers,
    workerId,
    leaseMs: lease,
    retryBaseMs: 1_000,
    retryCapMs: 60_000,
  });

  it('runs a job once with its payload and marks it completed', async () => {
    const seen: unknown[] = [];
    const id = await enqueue(t().ctx.db, 'test.ok', { n: 7 }, t().clock.now());
    const handlers = {
      'test.ok': async (_ctx, payload: unknown, job) => {
        seen.push({ payload, attempt: job.attempt, id: job.id });
      },
    } satisfies Record<string, AnyJobHandler>;
    expect(await runNextJob(t().ctx, opts(handlers))).toBe(true);
    expect(await runNextJob(t().ctx, opts(handlers))).toBe(false);
    expect(seen).toEqual([{ payload: { n: 7 }, attempt: 1, id }]);
    const row = await findJob(t().ctx.db, id!);
    expect(row).toMatchObject({
      state: 'completed',
      attempts: 1,
      locked_by: null,
      locked_until: null,
      last_error: null,
    });
  });

  it('retries a failed job later with backoff, then completes it', async () => {
    let calls = 0;
    const handlers: Record<string, AnyJobHandler> = {
      'test.flaky': async () => {
        calls += 1;
        if (calls === 1) throw new Error('temporary glitch');
      },
    };
    const id = (await enqueue(t().ctx.db, 'test.flaky', {}, t().clock.now()))!;
    await runNextJob(t().ctx, opts(handlers));
    const after1 = await findJob(t().ctx.db, id);
    expect(after1).toMatchObject({ state: 'queued', attempts: 1, last_error: 'temporary glitch', locked_by: null });
    // attempt 1 waits between base/2 and base (1 s): not due yet, due after 1 s
    expect(after1!.run_at).toBeGreaterThanOrEqual(t().clock.now() + 500);
    expect(after1!.run_at).toBeLessThanOrEqual(t().clock.now() + 1_000);
    expect(await runNextJob(t().ctx, opts(handlers))).toBe(false);
    t().clock.advance(1_000);
    expect(await runNextJob(t().ctx, opts(handlers))).toBe(true);
    expect(await findJob(t().ctx.db, id)).toMatchObject({ state: 'completed', attempts: 2 });
    expect(calls).toBe(2);
  });

  it('fails a job for good after max_attempts, keeping the last error visible', async () => {
    let calls = 0;
    const handlers: Record<string, AnyJobHandler> = {
      'test.broken': async () => {
        calls += 1;
        throw new Error(`boom ${calls}`);
      },
    };
    const id = (await enqueue(t().ctx.db, 'test.broken', {}, t().clock.now(), 3))!;
    for (let i = 0; i < 3; i++) {
      expect(await runNextJob(t().ctx, opts(handlers))).toBe(true);
      t().clock.advance(10 * 60_000);
    }
    expect(await runNextJob(t().ctx, opts(handlers))).toBe(false);
    expect(await findJob(t().ctx.db, id)).toMatchObject({
      state: 'failed',
      attempts: 3,
      last_error: 'boom 3',
      locked_by: null,
    });
    expect(calls).toBe(3);
  });

  it('fails at once on a PermanentJobError, and when no handler is registered it retries visibly', async () => {
    const handlers: Record<string, AnyJobHandler> = {
      'test.gone': async () => {
        throw new PermanentJobError('the community was deleted');
      },
    };
    const gone = (await enqueue(t().ctx.db, 'test.gone', {}, t().clock.now()))!;
    await runNextJob(t().ctx, opts(handlers));
    expect(await findJob(t().ctx.db, gone)).toMatchObject({
      state: 'failed',
      attempts: 1,
      last_error: 'the community was deleted',
    });
    const orphan = (await enqueue(t().ctx.db, 'test.nobody', {}, t().clock.now(), 1))!;
    await runNextJob(t().ctx, opts(handlers));
    expect(await findJob(t().ctx.db, orphan)).toMatchObject({
      state: 'failed',
      last_error: 'no handler is registered for job "test.nobody"',
    });
  });

  it('a dedupe key allows one queued or running job at a time', async () => {
    const now = t().clock.now();
    const first = await enqueueJob(t().ctx.db, 'test.dedupe' as JobName, {} as never, now, { dedupeKey: 'only-one' });
    expect(first).toBeTypeOf('number');
    expect(
      await enqueueJob(t().ctx.db, 'test.dedupe' as JobName, {} as never, now, { dedupeKey: 'only-one' }),
    ).toBeUndefined();
    await runNextJob(t().ctx, opts({ 'test.dedupe': async () => {} }));
    expect(
      await enqueueJob(t().ctx.db, 'test.dedupe' as JobName, {} as never, now, { dedupeKey: 'only-one' }),
    ).toBeTypeOf('number');
    await t().ctx.db.deleteFrom('job').where('name', '=', 'test.dedupe').execute();
  });

  it('takes over a job whose worker died once its lease expires', async () => {
    const ran: number[] = [];
    const handlers: Record<string, AnyJobHandler> = {
      'test.orphan': async (_c, _p, job) => {
        ran.push(job.attempt);
      },
    };
    const id = (await enqueue(t().ctx.db, 'test.orphan', {}, t().clock.now()))!;
    const now = t().clock.now();
    const claimed = await claimJob(t().ctx.db, 'dead-worker', now, now + lease);
    expect(claimed).toMatchObject({ id, state: 'running', locked_by: 'dead-worker', attempts: 1 });
    // the lease still holds: nobody else may take it
    t().clock.advance(lease - 1);
    expect(await runNextJob(t().ctx, opts(handlers, 'w2'))).toBe(false);
    t().clock.advance(2);
    expect(await runNextJob(t().ctx, opts(handlers, 'w2'))).toBe(true);
    expect(ran).toEqual([2]);
    expect(await findJob(t().ctx.db, id)).toMatchObject({ state: 'completed', attempts: 2, locked_by: null });
  });

  it('fails, visibly, a job whose worker died during its last attempt', async () => {
    const id = (await enqueue(t().ctx.db, 'test.last', {}, t().clock.now(), 1))!;
    const now = t().clock.now();
    await claimJob(t().ctx.db, 'dead-worker', now, now + lease);
    t().clock.advance(lease + 1);
    expect(await runNextJob(t().ctx, opts({}, 'w2'))).toBe(false);
    expect(await failAbandonedJobs(t().ctx.db, t().clock.now())).toBe(1);
    expect(await findJob(t().ctx.db, id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      last_error: expect.stringContaining('lease expired'),
    });
  });

  it('heartbeat extends the lease; a lost lease aborts the handler and leaves the job to its new owner', async () => {
    const id = (await enqueue(t().ctx.db, 'test.long', {}, t().clock.now()))!;
    let lostError: unknown;
    let abortedAfterLoss = false;
    const handlers: Record<string, AnyJobHandler> = {
      'test.long': async (ctx, _p, job) => {
        t().clock.advance(lease - 1_000);
        await job.heartbeat();
        expect((await findJob(ctx.db, id))!.locked_until).toBe(t().clock.now() + lease);
        t().clock.advance(lease - 1_000);
        // still ours: 59 s after the claim, another worker cannot take it
        expect(await claimJob(ctx.db, 'thief', ctx.clock.now(), ctx.clock.now() + lease)).toBeUndefined();
        await ctx.db.updateTable('job').set({ locked_by: 'thief' }).where('id', '=', id).execute();
        try {
          await job.heartbeat();
        } catch (error) {
          lostError = error;
        }
        abortedAfterLoss = job.signal.aborted;
        throw new Error('stopped');
      },
    };
    await runNextJob(t().ctx, opts(handlers));
    expect(lostError).toBeInstanceOf(LeaseLostError);
    expect(abortedAfterLoss).toBe(true);
    expect(await findJob(t().ctx.db, id)).toMatchObject({ state: 'running', locked_by: 'thief', last_error: null });
    await t().ctx.db.updateTable('job').set({ state: 'completed' }).where('id', '=', id).execute();
  });

  it('hands back untried a job claimed while the worker was shutting down (its handler never starts)', async () => {
    const id = (await enqueue(t().ctx.db, 'test.late', {}, t().clock.now()))!;
    let started = false;
    const stopped = new AbortController();
    stopped.abort();
    expect(
      await runNextJob(
        t().ctx,
        opts({
          'test.late': async () => {
            started = true;
          },
        }),
        stopped.signal,
      ),
    ).toBe(true);
    expect(started).toBe(false);
    expect(await findJob(t().ctx.db, id)).toMatchObject({ state: 'queued', attempts: 0, locked_by: null });
    await t().ctx.db.deleteFrom('job').where('id', '=', id).execute();
  });

  it('the runner loop drains the queue; stop() waits for the running job, which a shutdown hands back', async () => {
    const done: number[] = [];
    let release!: () => void;
    const blocker = new Promise<void>((r) => {
      release = r;
    });
    const handlers: Record<string, AnyJobHandler> = {
      'test.quick': async (_c, p: { i: number }) => {
        done.push(p.i);
      },
      'test.slow': async (_c, _p, job) => {
        await new Promise<void>((resolve, reject) => {
          if (job.signal.aborted) reject(new Error('aborted'));
          job.signal.addEventListener('abort', () => reject(new Error('aborted')));
          void blocker.then(resolve);
        });
      },
    };
    for (let i = 0; i < 10; i++) await enqueue(t().ctx.db, 'test.quick', { i }, t().clock.now());
    const runner = startJobRunner(t().ctx, { ...opts(handlers), pollMs: 20, concurrency: 2 });
    await waitFor(() => done.length === 10, { what: () => `the 10 quick jobs to run (${done.length} ran)` });
    expect([...done].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const slow = (await enqueue(t().ctx.db, 'test.slow', {}, t().clock.now()))!;
    runner.wake();
    await waitFor(async () => (await findJob(t().ctx.db, slow))!.state === 'running', {
      what: 'the slow job to be running',
    });
    await runner.stop();
    release();
    // handed back untried: due at once for another worker, the attempt not counted
    expect(await findJob(t().ctx.db, slow)).toMatchObject({ state: 'queued', attempts: 0, locked_by: null });
    await t().ctx.db.deleteFrom('job').where('id', '=', slow).execute();
  });

  it('two workers with their own database handles run each of 200 jobs exactly once', async () => {
    const other = await createRuntime(testConfig(t().databaseUrl), { clock: t().clock, migrate: false });
    try {
      const runs = new Map<number, string[]>();
      const handler =
        (worker: string): AnyJobHandler =>
        async (_c, _p, job) => {
          runs.set(job.id, [...(runs.get(job.id) ?? []), worker]);
          await new Promise((r) => setTimeout(r, Math.random() * 3));
        };
      const ids: number[] = [];
      for (let i = 0; i < 200; i++) ids.push((await enqueue(t().ctx.db, 'test.race', { i }, t().clock.now()))!);
      const a = startJobRunner(t().ctx, {
        handlers: { 'test.race': handler('a') },
        workerId: 'a',
        pollMs: 10,
        concurrency: 2,
      });
      const b = startJobRunner(other.ctx, {
        handlers: { 'test.race': handler('b') },
        workerId: 'b',
        pollMs: 10,
        concurrency: 2,
      });
      await waitFor(
        async () => {
          const row = await t()
            .ctx.db.selectFrom('job')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('name', '=', 'test.race')
            .where('state', '=', 'completed')
            .executeTakeFirstOrThrow();
          return Number(row.n) === 200;
        },
        { what: 'all 200 jobs to complete' },
      );
      await Promise.all([a.stop(), b.stop()]);
      expect(runs.size).toBe(200);
      expect([...runs.values()].filter((w) => w.length !== 1)).toEqual([]);
      const byWorker = [...runs.values()].reduce<Record<string, number>>(
        (acc, [w]) => ({ ...acc, [w]: (acc[w] ?? 0) + 1 }),
        {},
      );
      expect(byWorker.a).toBeGreaterThan(0);
      expect(byWorker.b).toBeGreaterThan(0);
      const rows = await t().ctx.db.selectFrom('job').select(['attempts']).where('name', '=', 'test.race').execute();
      expect(rows.every((r) => r.attempts === 1)).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe('backoff', () => {
  it('doubles per attempt within [d/2, d], capped', async () => {
    const { backoffDelay } = await import('./backoff.js');
    expect(backoffDelay(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffDelay(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(backoffDelay(30, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
