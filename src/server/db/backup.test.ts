/** The documented backups (README "Backups") restore into a working database. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { buildCommunity, buildPerson } from '../testing/factories.js';
import { createTestDatabase, describeEachDb } from '../testing/test-db.js';
import { createDb, sqlitePathOfUrl } from './db.js';
import { migrateToLatest } from './migrate.js';

describeEachDb('backup and restore', (t) => {
  it('restores people and communities from a backup', async () => {
    const { ctx } = t();
    const person = await buildPerson(ctx, { uniqueId: 'BK-1' });
    const community = await buildCommunity(ctx, { name: 'Backup Club' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-backup-'));
    let restoredUrl: string;
    let dropRestored: () => Promise<void> = async () => {};
    if (t().dialect === 'sqlite') {
      const file = path.join(dir, 'backup.db');
      await sql`VACUUM INTO ${file}`.execute(ctx.db);
      restoredUrl = `sqlite:${file}`;
      expect(sqlitePathOfUrl(restoredUrl)).toBe(file);
    } else {
      const dump = path.join(dir, 'convene.dump');
      execFileSync('pg_dump', ['-Fc', '-f', dump, t().databaseUrl]);
      const target = await createTestDatabase('postgres');
      execFileSync('pg_restore', ['--no-owner', '-d', target.url, dump]);
      restoredUrl = target.url;
      dropRestored = target.drop;
    }
    const restored = createDb(restoredUrl);
    expect(await migrateToLatest(restored.db)).toEqual([]);
    const p = await restored.db.selectFrom('person').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(p.unique_id).toBe('BK-1');
    const c = await restored.db
      .selectFrom('community')
      .selectAll()
      .where('id', '=', community.id)
      .executeTakeFirstOrThrow();
    expect(c.name).toBe('Backup Club');
    await restored.close();
    await dropRestored();
    fs.rmSync(dir, { recursive: true });
  });
});
