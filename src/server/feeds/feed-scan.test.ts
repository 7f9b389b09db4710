import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { AppContext } from '../context.js';
import { runNextJob } from '../jobs/runner.js';
import { registries } from '../modules.js';
import { buildPerson } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { adminCookie } from '../data-tools/test-support.js';
import { scanFeeds } from './feed-run.service.js';

/** Runs every queued job (feeds.take, data_jobs.process) to the end, as a worker would. */
async function drain(ctx: AppContext): Promise<void> {
  while (await runNextJob(ctx, { handlers: registries.jobHandlers, workerId: 'test-worker' }));
}

const deactivateFeed = (folder: string, extra: Record<string, unknown> = {}) => ({
  name: 'Nightly leavers',
  type: 'deactivate',
  folder,
  mapping: { keyColumn: 'Unique ID', keyType: 'unique_id' },
  notify: 'every_run',
  ...extra,
});

describeEachDb('feeds: dropped files', (t) => {
  const app = useTestApp(t);

  async function newFeed(cookie: string, body: Record<string, unknown>) {
    const res = await app().inject({ method: 'POST', url: '/api/admin/feeds', headers: { cookie }, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { feed: { id: number; folder: string }; uploadToken: string };
  }
  const folderOf = (folder: string) => path.join(t().ctx.config.feedsDir, folder);
  const runsOf = async (cookie: string, id: number) => {
    const res = await app().inject({ url: `/api/admin/feeds/${id}/runs`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    return res.json().items as {
      status: string;
      fileName: string;
      dataJobId: number | null;
      error: string | null;
      counters: { outcomes: Record<string, number> } | null;
    }[];
  };
  const feedEmails = async (feedId: number) =>
    (
      await t()
        .ctx.db.selectFrom('email_outbox')
        .select(['to_address', 'payload'])
        .where('template', '=', 'feed_run')
        .orderBy('id')
        .execute()
    )
      .filter((e) => (JSON.parse(e.payload) as { feedId: number }).feedId === feedId)
      // one email per active admin: this test's admin's
      .filter((e) => e.to_address === adminEmail);
  let adminEmail = '';
  async function signInAdmin() {
    const { cookie, adminId } = await adminCookie(t().ctx);
    const row = await t()
      .ctx.db.selectFrom('person')
      .select('email')
      .where('id', '=', adminId)
      .executeTakeFirstOrThrow();
    adminEmail = row.email ?? '';
    return { cookie };
  }

  it('takes a file only once it stops growing, runs it as a Data Tools job, and emails the admins', async () => {
    const ctx = t().ctx;
    const { cookie } = await signInAdmin();
    const people = await Promise.all([1, 2, 3].map((n) => buildPerson(ctx, { uniqueId: `L-${n}` })));
    const { feed, uploadToken } = await newFeed(cookie, deactivateFeed('leavers', { reviewAbovePercent: 50 }));
    expect(uploadToken).toMatch(/^cvf_/);
    const file = path.join(folderOf('leavers'), 'leavers-2026-12-03.csv');
    await fs.writeFile(file, 'Unique ID\r\nL-1\r\n');
    expect(await scanFeeds(ctx)).toEqual({ taken: 0, waiting: 1 });
    t().clock.advance(ctx.config.feedStableMs);
    // The upload goes on: the file grew, so it is not taken half-written.
    await fs.appendFile(file, 'L-2\r\nL-3\r\nL-404\r\n');
    expect(await scanFeeds(ctx)).toEqual({ taken: 0, waiting: 1 });
    t().clock.advance(ctx.config.feedStableMs - 1);
    expect(await scanFeeds(ctx)).toEqual({ taken: 0, waiting: 1 });
    t().clock.advance(1);
    expect(await scanFeeds(ctx)).toEqual({ taken: 1, waiting: 0 });
    expect((await runsOf(cookie, feed.id)).map((r) => r.status)).toEqual(['taking']);
    await drain(ctx);
    await scanFeeds(ctx);
    const [run] = await runsOf(cookie, feed.id);
    expect(run).toMatchObject({ status: 'finished', fileName: 'leavers-2026-12-03.csv' });
    expect(run.counters?.outcomes).toEqual({ deactivated: 3, skipped: 1 });
    for (const p of people) {
      const row = await ctx.db.selectFrom('person').select('status').where('id', '=', p.id).executeTakeFirstOrThrow();
      expect(row.status).toBe('inactive');
    }
    const job = await app().inject({ url: `/api/admin/data-jobs/${run.dataJobId}`, headers: { cookie } });
    expect(job.json()).toMatchObject({ status: 'completed', fileName: 'leavers-2026-12-03.csv', rowCount: 4 });
    const emails = await feedEmails(feed.id);
    expect(emails).toHaveLength(1);
    expect(JSON.parse(emails[0].payload)).toMatchObject({
      status: 'finished',
      outcomes: { deactivated: 3, skipped: 1 },
    });
    // Nothing more happens on later looks.
    await scanFeeds(ctx);
    expect(await runsOf(cookie, feed.id)).toHaveLength(1);
    expect(await feedEmails(feed.id)).toHaveLength(1);
  });

  it('takes a name and content once, whoever looks and however often; new content under the same name is a new run', async () => {
    const ctx = t().ctx;
    const { cookie } = await signInAdmin();
    await buildPerson(ctx, { uniqueId: 'O-1' });
    const { feed } = await newFeed(cookie, deactivateFeed('once', { notify: 'never' }));
    const file = path.join(folderOf('once'), 'people.csv');
    await fs.writeFile(file, 'Unique ID\nO-1\n');
    await scanFeeds(ctx);
    t().clock.advance(ctx.config.feedStableMs);
    // Two workers look at the same moment: one takes it.
    const both = await Promise.all([scanFeeds(ctx), scanFeeds(ctx)]);
    expect(both.reduce((n, r) => n + r.taken, 0)).toBe(1);
    // A worker that remembers nothing (its notes of the folder lost) finds it taken by content.
    await ctx.db.deleteFrom('feed_observation').execute();
    await scanFeeds(ctx);
    t().clock.advance(ctx.config.feedStableMs);
    expect((await scanFeeds(ctx)).taken).toBe(0);
    expect(await runsOf(cookie, feed.id)).toHaveLength(1);
    await drain(ctx);
    // Tomorrow's file under the same name, with other content: a new run.
    await fs.writeFile(file, 'Unique ID\nO-1\nO-2\n');
    await scanFeeds(ctx);
    t().clock.advance(ctx.config.feedStableMs);
    expect((await scanFeeds(ctx)).taken).toBe(1);
    expect(await runsOf(cookie, feed.id)).toHaveLength(2);
    // Files still arriving under an uploader's temporary name are never looked at.
    await fs.writeFile(path.join(folderOf('once'), 'next.csv.part'), 'Unique ID\n');
    await fs.writeFile(path.join(folderOf('once'), '.hidden.csv'), 'Unique ID\n');
    await scanFeeds(ctx);
    t().clock.advance(ctx.config.feedStableMs);
    expect(await scanFeeds(ctx)).toEqual({ taken: 0, waiting: 0 });
  });

  it('skips an empty file, or fails it with the reason when the feed does not skip empty files', async () => {
    const ctx = t().ctx;
    const { cookie } = await signInAdmin();
    const skipping = await newFeed(cookie, deactivateFeed('empty-skip'));
    const strict = await newFeed(cookie, deactivateFeed('empty-strict', { skipEmpty: false }));
    await fs.writeFile(path.join(folderOf('empty-skip'), 'zero.csv'), '');
    await fs.writeFile(path.join(folderOf('empty-skip'), 'header.csv'), 'Unique ID\r\n');
    await fs.writeFile(path.join(folderOf('empty-strict'), 'header.csv'), 'Unique ID\r\n');
    await scanFeeds(ctx);
    t().clock.advance(ctx.config.feedStableMs);
    expect((await scanFeeds(ctx)).taken).toBe(3);
    await drain(ctx);
    const skipped = await runsOf(cookie, skipping.feed.id);
    expect(skipped.map((r) => [r.fileName, r.status, r.dataJobId]).sort()).toEqual([
      ['header.csv', 'skipped_empty', null],
      ['zero.csv', 'skipped_empty', null],
    ]);
    const [failed] = await runsOf(cookie, strict.feed.id);
    expect(failed).toMatchObject({ status: 'failed', dataJobId: null });
    expect(failed.error).toMatch(/header row but no data rows/);
    expect(await feedEmails(skipping.feed.id)).toEqual([]);
    const emails = await feedEmails(strict.feed.id);
    expect(emails.map((e) => JSON.parse(e.payload).status)).toEqual(['failed']);
    // No job was left behind for the admin to wonder about.
    const jobs = await app().inject({ url: '/api/admin/data-jobs', headers: { cookie } });
    const names = (jobs.json().items as { fileName: string }[]).map((j) => j.fileName);
    expect(names).not.toContain('header.csv');
    expect(names).not.toContain('zero.csv');
  });

  it('holds a file whose dry run refuses too many rows for review; the admin starts it in Data Tools', async () => {
    const ctx = t().ctx;
    const { cookie } = await signInAdmin();
    await buildPerson(ctx, { uniqueId: 'R-1' });
    const { feed } = await newFeed(cookie, deactivateFeed('review', { reviewAbovePercent: 25 }));
    await fs.writeFile(path.join(folderOf('review'), 'r.csv'), 'Unique ID\nR-1\nNOPE-1\nNOPE-2\n');
    await scanFeeds(ctx);
    t().clock.advance(ctx.config.feedStableMs);
    await scanFeeds(ctx);
    await drain(ctx);
    const [run] = await runsOf(cookie, feed.id);
    expect(run.status).toBe('waiting_review');
    const held = await app().inject({ url: `/api/admin/data-jobs/${run.dataJobId}`, headers: { cookie } });
    expect(held.json()).toMatchObject({ status: 'mapped', dryRun: { outcomes: { deactivated: 1, skipped: 2 } } });
    expect((await feedEmails(feed.id)).map((e) => JSON.parse(e.payload).status)).toEqual(['waiting_review']);
    const started = await app().inject({
      method: 'POST',
      url: `/api/admin/data-jobs/${run.dataJobId}/start`,
      headers: { cookie },
    });
    expect(started.statusCode).toBe(200);
    await scanFeeds(ctx);
    expect((await runsOf(cookie, feed.id))[0].status).toBe('running');
    await drain(ctx);
    await scanFeeds(ctx);
    expect((await runsOf(cookie, feed.id))[0]).toMatchObject({
      status: 'finished',
      counters: { outcomes: { deactivated: 1, skipped: 2 } },
    });
  });

  it('fails a file whose columns do not fit the mapping, and keeps the job for the admin to map by hand', async () => {
    const ctx = t().ctx;
    const { cookie } = await signInAdmin();
    const { feed } = await newFeed(cookie, deactivateFeed('misfit'));
    await fs.writeFile(path.join(folderOf('misfit'), 'm.csv'), 'Student Number\nS-1\n');
    await scanFeeds(ctx);
    t().clock.advance(ctx.config.feedStableMs);
    await scanFeeds(ctx);
    await drain(ctx);
    const [run] = await runsOf(cookie, feed.id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/mapping does not fit this file: keyColumn: the file has no column "Unique ID"/);
    const job = await app().inject({ url: `/api/admin/data-jobs/${run.dataJobId}`, headers: { cookie } });
    expect(job.json().status).toBe('uploaded');
  });

  it('refuses a folder outside the feeds directory and one another feed reads', async () => {
    const { cookie } = await signInAdmin();
    for (const folder of ['../etc', '/etc', 'a/b', '.hidden', '']) {
      const res = await app().inject({
        method: 'POST',
        url: '/api/admin/feeds',
        headers: { cookie },
        payload: deactivateFeed(folder),
      });
      expect(res.statusCode, folder).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    await newFeed(cookie, deactivateFeed('taken-folder'));
    const again = await app().inject({
      method: 'POST',
      url: '/api/admin/feeds',
      headers: { cookie },
      payload: deactivateFeed('taken-folder'),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('feed_folder_taken');
  });
});
