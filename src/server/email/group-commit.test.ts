import { expect, it } from 'vitest';
import type { DbOrTrx } from '../db/db.js';
import { describeEachDb } from '../testing/test-db.js';
import { groupCommitter } from './group-commit.js';

describeEachDb('group commit', (t) => {
  const insert = (key: string) => async (trx: DbOrTrx) => {
    await trx.insertInto('site_setting').values({ key, value: '1', updated_at: 0 }).execute();
  };
  const keys = async (prefix: string) =>
    (
      await t()
        .ctx.db.selectFrom('site_setting')
        .select('key')
        .where('key', 'like', `${prefix}%`)
        .orderBy('key')
        .execute()
    ).map((r) => r.key);

  it('commits work submitted together, each caller waiting for its own commit', async () => {
    const commit = groupCommitter(t().ctx.db);
    await Promise.all(['gc.a', 'gc.b', 'gc.c'].map((k) => commit(insert(k))));
    expect(await keys('gc.')).toEqual(['gc.a', 'gc.b', 'gc.c']);
  });

  it('a failing member is retried alone: it alone fails, the rest of its group is recorded', async () => {
    const commit = groupCommitter(t().ctx.db);
    const fails = async () => {
      throw new Error('hook bug');
    };
    const results = await Promise.allSettled([commit(insert('gf.a')), commit(fails), commit(insert('gf.b'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await keys('gf.')).toEqual(['gf.a', 'gf.b']);
    await commit(insert('gf.c'));
    expect(await keys('gf.')).toEqual(['gf.a', 'gf.b', 'gf.c']);
  });
});
