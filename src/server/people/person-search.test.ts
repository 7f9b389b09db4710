import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/test-db.js';
import { listPeople, type PersonCursor } from './person-search.repository.js';
import { nameKeys } from './person.repository.js';
import { iteratePeople } from './people.service.js';

/** Every page of a search, followed by cursor. */
async function allPages(db: Parameters<typeof listPeople>[0], q: string): Promise<number[]> {
  const ids: number[] = [];
  let after: PersonCursor | undefined;
  for (let i = 0; i < 100; i++) {
    const { rows, hasMore } = await listPeople(db, { tab: 'active', q, after, limit: 50 });
    ids.push(...rows.map((r) => r.id));
    const last = rows[rows.length - 1];
    if (!hasMore || !last) break;
    after = { nameKey: last.name_key, id: last.id };
  }
  return ids;
}

describeEachDb('Members search on broad prefixes', (t) => {
  it('pages through every match of narrow and broad last-name prefixes, in name order, once each', async () => {
    const { ctx } = t();
    const now = ctx.clock.now();
    const firsts = [
      'Ann',
      'Bea',
      'Cy',
      'Dee',
      'Eve',
      'Flo',
      'Gus',
      'Hal',
      'Ivy',
      'Jo',
      'Kai',
      'Lu',
      'Max',
      'Ned',
      'Oz',
      'Pia',
      'Quin',
      'Rex',
      'Sia',
      'Tom',
    ];
    const rows: { first: string; last: string; status: 'active' | 'inactive' }[] = [];
    // 1,100 people with one last name (dense, one last name), 1,250 over 25 "Zz…" last names
    // (dense, many last names), a few with a longer last name, and some in another tab.
    for (let i = 0; i < 1100; i++)
      rows.push({ first: firsts[(i * 7) % firsts.length], last: 'Denseton', status: 'active' });
    for (let i = 0; i < 30; i++) rows.push({ first: firsts[i % firsts.length], last: 'Densetonia', status: 'active' });
    for (let i = 0; i < 1250; i++)
      rows.push({
        first: firsts[i % firsts.length],
        last: `Zz${String.fromCharCode(97 + (i % 25))}lin`,
        status: 'active',
      });
    for (let i = 0; i < 40; i++) rows.push({ first: 'Other', last: 'Denseton', status: 'inactive' });
    for (let i = 0; i < rows.length; i += 500) {
      await ctx.db
        .insertInto('person')
        .values(
          rows.slice(i, i + 500).map((r, k) => ({
            email: `p-${i + k}@example.test`,
            first_name: r.first,
            last_name: r.last,
            ...nameKeys(r.first, r.last),
            status: r.status,
            is_admin: 0 as const,
            unique_id: null,
            preverification_id: null,
            member_type_id: null,
            invite_token_hash: null,
            created_at: now,
            updated_at: now,
            activated_at: now,
            last_sign_in_at: null,
          })),
        )
        .execute();
    }
    const all = await ctx.db
      .selectFrom('person')
      .select(['id', 'name_key', 'last_name_key'])
      .where('status', '=', 'active')
      .execute();
    const expected = (prefix: string) =>
      all
        .filter((p) => p.last_name_key.startsWith(prefix) || p.name_key.startsWith(prefix))
        .sort((a, b) => (a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : a.id - b.id))
        .map((p) => p.id);
    for (const q of ['Denseton', 'densetoni', 'dense', 'zz', 'zzc']) {
      const got = await allPages(ctx.db, q);
      expect(got.length, q).toBe(expected(q.toLowerCase()).length);
      expect(got, q).toEqual(expected(q.toLowerCase()));
    }
    // The CSV export reads a tab in batches of 1,000 and sees every row once.
    const exported: number[] = [];
    for await (const batch of iteratePeople(ctx, 'active', 'zz')) exported.push(...batch.map((r) => r.id));
    expect(exported).toEqual(expected('zz'));
  });
});
