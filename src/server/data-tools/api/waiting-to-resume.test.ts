/**
 * A data job whose worker died shows "waiting to resume" with the time a worker takes it again,
 * not a countdown of time left.
 */
import { expect, it } from 'vitest';
import { buildPerson } from '../../testing/factories.js';
import { useTestApp } from '../../testing/test-app.js';
import { describeEachDb } from '../../testing/test-db.js';
import { claimJob } from '../../jobs/queue.repository.js';
import { adminCookie, upload } from '../test-support.js';

describeEachDb('a data job whose worker died', (t) => {
  const app = useTestApp(t);

  it('answers waitingToResumeAt (the lease’s end, then now) and no time left', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    await buildPerson(ctx, { uniqueId: 'R-1' });
    const up = await upload(app(), cookie, { type: 'deactivate', file: 'Unique ID\nR-1\n' });
    const id = up.json().id as number;
    const put = await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${id}/mapping`,
      headers: { cookie },
      payload: { keyColumn: 'Unique ID', keyType: 'unique_id' },
    });
    expect(put.statusCode).toBe(200);
    const started = await app().inject({
      method: 'POST',
      url: `/api/admin/data-jobs/${id}/start`,
      headers: { cookie },
    });
    expect(started.json()).toMatchObject({ status: 'queued', waitingToResumeAt: null });
    const jobLeaseMs = ctx.config.jobLeaseMs;
    const read = async () => (await app().inject({ url: `/api/admin/data-jobs/${id}`, headers: { cookie } })).json();

    // A worker claims it, then its process dies: no more heartbeats.
    const claimed = await claimJob(ctx.db, 'dead-worker', t().clock.now(), t().clock.now() + jobLeaseMs);
    expect(claimed?.dedupe_key).toBe(`data_job:${id}`);
    t().clock.advance(jobLeaseMs / 3);
    expect((await read()).waitingToResumeAt).toBeNull();

    t().clock.advance(jobLeaseMs / 3 + 1_000);
    const waiting = await read();
    expect(waiting.waitingToResumeAt).toBe(claimed!.locked_until);
    expect(waiting.progress).toMatchObject({ secondsLeft: null, ratePerSecond: null });

    t().clock.advance(jobLeaseMs);
    expect((await read()).waitingToResumeAt).toBe(t().clock.now());
  });
});
