/**
 * SQLite only: an upload that fills the disk part-way through staging its rows is answered
 * `storage_full` (507) and removes what it staged at once. The full disk is made for real, as in
 * db/storage-full.test.ts: `PRAGMA max_page_count` caps the file a few pages above its size.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../testing/test-app.js';
import { createTestRuntime, type TestRuntime } from '../../testing/test-db.js';
import { adminCookie, upload } from '../test-support.js';
import { fullDiskUploadMessage } from './upload.service.js';

describe('SQLite disk full during an upload', () => {
  let rt: TestRuntime;
  let app: FastifyInstance;
  beforeAll(async () => {
    rt = await createTestRuntime('sqlite');
    app = await buildTestApp(rt);
  });
  afterAll(async () => {
    await app.close();
    await rt.close();
  });

  const count = async (table: 'data_job' | 'data_job_row') =>
    Number(
      (
        await rt.ctx.db
          .selectFrom(table)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers 507 storage_full and removes the rows it staged before the refusal (SQLite)', async () => {
    const { cookie } = await adminCookie(rt.ctx);
    const file = `Unique ID,Name\n${Array.from({ length: 50_000 }, (_, i) => `FULL-${i},Person number ${i}`).join('\n')}\n`;
    await sql`VACUUM`.execute(rt.ctx.db);
    const { page_count: pages } = (await sql<{ page_count: number }>`PRAGMA page_count`.execute(rt.ctx.db)).rows[0];
    // Room for the job's row and a first batch of staged rows, not for the whole file.
    await sql.raw(`PRAGMA max_page_count = ${pages + 250}`).execute(rt.ctx.db);
    const res = await upload(app, cookie, { type: 'deactivate', file });

    expect(res.statusCode).toBe(507);
    // The first batches were staged (the file grew by their pages), and their pages are free again.
    const pragma = async (name: string) =>
      Object.values((await sql.raw<Record<string, number>>(`PRAGMA ${name}`).execute(rt.ctx.db)).rows[0])[0];
    const grownBy = (await pragma('page_count')) - pages;
    expect(grownBy, 'pages of the batches staged before the refusal').toBeGreaterThan(50);
    expect(await pragma('freelist_count')).toBeGreaterThanOrEqual(grownBy - 2);
    expect(res.json().error).toEqual({ code: 'storage_full', message: fullDiskUploadMessage });
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(507);
    expect(await count('data_job_row')).toBe(0);
    expect(await count('data_job')).toBe(0);

    // Space again: the same file uploads whole.
    await sql.raw(`PRAGMA max_page_count = ${pages * 100}`).execute(rt.ctx.db);
    const again = await upload(app, cookie, { type: 'deactivate', file });
    expect(again.statusCode).toBe(201);
    expect(again.json().rowCount).toBe(50_000);
    expect(await count('data_job_row')).toBe(50_000);
  });
});
