import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/test-db.js';
import { buildPerson, sessionCookie } from '../testing/factories.js';
import { runCleanup, scheduleCleanup } from './maintenance.js';
import { runNextJob } from './runner.js';
import { registries } from '../modules.js';

const DAY = 24 * 60 * 60 * 1000;

describeEachDb('maintenance cleanup', (t) => {
  it('deletes ended sessions, day-old idempotency keys and week-old finished jobs, and keeps the rest', async () => {
    const { ctx, clock } = t();
    const person = await buildPerson(ctx);
    await sessionCookie(ctx, person.id);
    await ctx.db
      .insertInto('idempotency_key')
      .values({
        person_id: person.id,
        key: 'old',
        request_hash: 'h',
        status_code: 200,
        response: '{}',
        created_at: clock.now(),
      })
      .execute();
    await ctx.db
      .insertInto('job')
      .values({
        name: 'maintenance.cleanup',
        payload: '{}',
        state: 'completed',
        attempts: 1,
        max_attempts: 3,
        run_at: clock.now(),
        locked_by: null,
        locked_until: null,
        last_error: null,
        dedupe_key: null,
        created_at: clock.now(),
        updated_at: clock.now(),
      })
      .execute();
    clock.advance(2 * DAY);
    await ctx.db
      .insertInto('idempotency_key')
      .values({
        person_id: person.id,
        key: 'fresh',
        request_hash: 'h',
        status_code: 200,
        response: '{}',
        created_at: clock.now(),
      })
      .execute();
    const first = await runCleanup(ctx, registries.cleanupTasks);
    expect(first.idempotencyKeys).toBe(1);
    expect(first.jobs).toBe(0);
    expect(await ctx.db.selectFrom('idempotency_key').select('key').execute()).toEqual([{ key: 'fresh' }]);
    clock.advance(8 * DAY);
    const second = await runCleanup(ctx, registries.cleanupTasks);
    expect(second.sessions).toBeGreaterThanOrEqual(1);
    expect(second.jobs).toBe(1);
  });

  it('is scheduled once across workers and runs through the job runner', async () => {
    const { ctx } = t();
    const stopA = scheduleCleanup(ctx);
    const stopB = scheduleCleanup(ctx);
    // stopping waits for each schedule's first queue attempt to settle
    await Promise.all([stopA(), stopB()]);
    const queued = await ctx.db
      .selectFrom('job')
      .select(['id'])
      .where('name', '=', 'maintenance.cleanup')
      .where('state', '=', 'queued')
      .execute();
    expect(queued).toHaveLength(1);
    expect(await runNextJob(ctx, { workerId: 'test-worker', handlers: registries.jobHandlers })).toBe(true);
    const done = await ctx.db
      .selectFrom('job')
      .select(['state'])
      .where('id', '=', queued[0].id)
      .executeTakeFirstOrThrow();
    expect(done.state).toBe('completed');
  });
});
