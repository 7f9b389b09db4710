/**
 * A full disk on SQLite, made for real: `PRAGMA max_page_count` caps the database file at its
 * current size (after VACUUM, so no free page is left), and SQLite then refuses every write that
 * needs a new page with SQLITE_FULL — the same error a full file system gives, without filling one.
 * A write is answered `storage_full` (507) and leaves nothing behind; reads keep working (the
 * session's last-seen write is skipped, not failed); /readyz says not ready until the window after
 * the last refusal has passed.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildAdmin, sessionCookie } from '../testing/factories.js';
import { buildTestApp } from '../testing/test-app.js';
import { createTestRuntime, type TestRuntime } from '../testing/test-db.js';
import { storageFullWindowMs } from './storage-full.js';

describe('SQLite disk full', () => {
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

  const communities = async () =>
    (await rt.ctx.db.selectFrom('community').select('name').where('name', 'like', 'Full disk%').execute()).length;

  it('refuses a write with storage_full, writes nothing, keeps reads working, and /readyz not ready', async () => {
    const admin = await buildAdmin(rt.ctx);
    const cookie = await sessionCookie(rt.ctx, admin.id);
    await sql`VACUUM`.execute(rt.ctx.db);
    const { page_count: pages } = (await sql<{ page_count: number }>`PRAGMA page_count`.execute(rt.ctx.db)).rows[0];
    await sql.raw(`PRAGMA max_page_count = ${pages}`).execute(rt.ctx.db);
    // The session's last-seen time is due for a write on the next request.
    rt.clock.advance(5 * 60_000);

    const create = await app.inject({
      method: 'POST',
      url: '/api/admin/communities',
      headers: { cookie },
      payload: { name: 'Full disk club', description: 'x'.repeat(5000), privacy: 'public' },
    });
    expect(create.statusCode).toBe(507);
    expect(create.json().error).toMatchObject({ code: 'storage_full', message: expect.stringMatching(/disk is full/) });
    expect(await communities()).toBe(0);

    const me = await app.inject({ url: '/api/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    const list = await app.inject({ url: '/api/communities', headers: { cookie } });
    expect(list.statusCode).toBe(200);

    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(507);
    expect(ready.json().error.code).toBe('storage_full');
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);

    // Space again: writes work, and /readyz is ready once the window after the refusal has passed.
    await sql.raw(`PRAGMA max_page_count = ${pages * 4}`).execute(rt.ctx.db);
    const again = await app.inject({
      method: 'POST',
      url: '/api/admin/communities',
      headers: { cookie },
      payload: { name: 'Full disk club', description: 'x'.repeat(5000), privacy: 'public' },
    });
    expect(again.statusCode).toBe(201);
    expect(await communities()).toBe(1);
    rt.clock.advance(storageFullWindowMs);
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
  });
});
