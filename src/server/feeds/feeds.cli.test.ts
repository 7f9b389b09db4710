import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { buildPerson } from '../testing/factories.js';
import { describeEachDb } from '../testing/test-db.js';
import { adminCookie } from '../data-tools/test-support.js';
import { createFeed } from './feed.service.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/convene.js');
const run = promisify(execFile);

describeEachDb('feeds: the CLI', (t) => {
  const convene = (args: string[]) =>
    run(process.execPath, [cli, ...args], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATABASE_URL: t().databaseUrl,
        FEEDS_DIR: t().ctx.config.feedsDir,
        SECRET: t().ctx.config.secret,
        LOG_LEVEL: 'silent',
      },
    });

  it('lists the feeds, and takes the files in their folders at once with run --now', async () => {
    const ctx = t().ctx;
    const { adminId } = await adminCookie(ctx);
    await buildPerson(ctx, { uniqueId: 'Z-1' });
    const { feed } = await createFeed(ctx, adminId, {
      name: 'Registrar leavers',
      type: 'deactivate',
      folder: 'registrar',
      mapping: { keyColumn: 'Unique ID', keyType: 'unique_id' },
      hasHeader: true,
      skipEmpty: true,
      reviewAbovePercent: null,
      notify: 'never',
      enabled: true,
    });
    const listed = await convene(['feeds', 'list']);
    expect(listed.stdout).toMatch(
      new RegExp(`^${feed.id}\\ton\\tdeactivate\\tregistrar\\t-\\tRegistrar leavers$`, 'm'),
    );
    await fs.writeFile(path.join(ctx.config.feedsDir, 'registrar', 'out.csv'), 'Unique ID\nZ-1\n');
    const waited = await convene(['feeds', 'run']);
    expect(waited.stdout).toContain('Took 0 files; 1 still changing');
    const now = await convene(['feeds', 'run', '--now']);
    expect(now.stdout).toContain('Took 1 file.');
    const runs = await ctx.db
      .selectFrom('feed_file')
      .select(['name', 'status'])
      .where('feed_id', '=', feed.id)
      .execute();
    expect(runs).toEqual([{ name: 'out.csv', status: 'taking' }]);
    const queued = await ctx.db.selectFrom('job').select('name').where('name', '=', 'feeds.take').execute();
    expect(queued).toHaveLength(1);
  });
});
