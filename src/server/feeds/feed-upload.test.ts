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

async function drain(ctx: AppContext): Promise<void> {
  while (await runNextJob(ctx, { handlers: registries.jobHandlers, workerId: 'test-worker' }));
}

describeEachDb(
  "feeds: a script's upload with the feed's token",
  (t) => {
    const app = useTestApp(t);

    async function newFeed(cookie: string, folder: string) {
      const res = await app().inject({
        method: 'POST',
        url: '/api/admin/feeds',
        headers: { cookie },
        payload: {
          name: 'CRM updates',
          type: 'update_people',
          folder,
          mapping: { keyColumn: 'Unique ID', keyType: 'unique_id', lastNameColumn: 'Last Name' },
          reviewAbovePercent: null,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { feed: { id: number }; uploadToken: string };
    }
    const put = (id: number, name: string, body: string | undefined, token?: string, type = 'text/csv') =>
      app().inject({
        method: 'PUT',
        url: `/api/feeds/${id}/files/${encodeURIComponent(name)}`,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': type }),
        },
        ...(body === undefined ? {} : { payload: body }),
      });

    it('takes the uploaded file at once, runs it, and answers a replay with the earlier run', async () => {
      const ctx = t().ctx;
      const { cookie } = await adminCookie(ctx);
      const person = await buildPerson(ctx, { uniqueId: 'C-1', lastName: 'Before' });
      const { feed, uploadToken } = await newFeed(cookie, 'crm');
      const file = 'Unique ID,Last Name\r\nC-1,After\r\n';
      const first = await put(feed.id, 'crm-updates.csv', file, uploadToken);
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({ replayed: false, run: { fileName: 'crm-updates.csv', status: 'taking' } });
      // It is in the folder under its name, complete, with no temporary file left.
      const dir = path.join(ctx.config.feedsDir, 'crm');
      expect(await fs.readdir(dir)).toEqual(['crm-updates.csv']);
      expect(await fs.readFile(path.join(dir, 'crm-updates.csv'), 'utf8')).toBe(file);
      await drain(ctx);
      await scanFeeds(ctx);
      const after = await ctx.db
        .selectFrom('person')
        .select('last_name')
        .where('id', '=', person.id)
        .executeTakeFirstOrThrow();
      expect(after.last_name).toBe('After');
      const again = await put(feed.id, 'crm-updates.csv', file, uploadToken);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ replayed: true, run: { id: first.json().run.id, status: 'finished' } });
      // The folder scan does not take it a second time either.
      t().clock.advance(ctx.config.feedStableMs);
      await scanFeeds(ctx);
      t().clock.advance(ctx.config.feedStableMs);
      expect((await scanFeeds(ctx)).taken).toBe(0);
      const runs = await app().inject({ url: `/api/admin/feeds/${feed.id}/runs`, headers: { cookie } });
      expect(runs.json().items).toHaveLength(1);
    });

    it('refuses a missing or wrong token, a session, a bad name, a missing body, and a switched-off feed', async () => {
      const ctx = t().ctx;
      const { cookie } = await adminCookie(ctx);
      const { feed, uploadToken } = await newFeed(cookie, 'crm-refusals');
      const other = await newFeed(cookie, 'crm-other');
      const body = 'Unique ID,Last Name\nX,Y\n';
      expect((await put(feed.id, 'a.csv', body)).statusCode).toBe(401);
      expect((await put(feed.id, 'a.csv', body, 'cvf_wrong')).statusCode).toBe(401);
      expect((await put(feed.id, 'a.csv', body, other.uploadToken)).statusCode).toBe(401);
      const withSession = await app().inject({
        method: 'PUT',
        url: `/api/feeds/${feed.id}/files/a.csv`,
        headers: { cookie, 'content-type': 'text/csv' },
        payload: body,
      });
      expect(withSession.statusCode).toBe(401);
      for (const name of ['.hidden.csv', 'a\u0001b.csv', 'a/b.csv']) {
        const res = await put(feed.id, name, body, uploadToken);
        expect(res.statusCode, name).toBe(400);
        expect(res.json().error.code).toBe('feed_file_name_invalid');
      }
      const noBody = await put(feed.id, 'a.csv', undefined, uploadToken);
      expect(noBody.statusCode).toBe(415);
      // A renewed token replaces the old one at once.
      const renewed = await app().inject({
        method: 'POST',
        url: `/api/admin/feeds/${feed.id}/token`,
        headers: { cookie },
      });
      expect((await put(feed.id, 'a.csv', body, uploadToken)).statusCode).toBe(401);
      const off = await app().inject({
        method: 'PATCH',
        url: `/api/admin/feeds/${feed.id}`,
        headers: { cookie },
        payload: { enabled: false },
      });
      expect(off.json().enabled).toBe(false);
      const refused = await put(feed.id, 'a.csv', body, renewed.json().uploadToken);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('feed_disabled');
      expect(await fs.readdir(path.join(ctx.config.feedsDir, 'crm-refusals'))).toEqual([]);
    });
  },
  { uploadMaxBytes: 64 * 1024 },
);
