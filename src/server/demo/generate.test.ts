import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/test-db.js';
import { writeDemoInviteCsv } from './demo.command.js';
import { demoHeadline, generateSite, hasDemoSite } from './generate.js';

describeEachDb('demo site generator', (t) => {
  it('makes people in every status with Unique IDs, communities with leaders, and is deterministic per seed', async () => {
    const { db } = t().ctx;
    expect(await hasDemoSite(db)).toBe(false);
    const site = await generateSite(db, { people: 500, communities: 7, seed: 7 }, 1_000_000);
    expect(await hasDemoSite(db)).toBe(true);
    // every email is made of the person's own names (Ada Abebe is ada.abebe.N@…, not chen.abebe.N@…)
    const named = await db
      .selectFrom('person')
      .select(['first_name', 'last_name', 'email'])
      .where('first_name', '!=', '')
      .where('email', 'is not', null)
      .execute();
    expect(named.length).toBeGreaterThan(400);
    for (const p of named)
      expect(p.email?.startsWith(`${p.first_name}.${p.last_name}.`.toLowerCase()), String(p.email)).toBe(true);
    const byStatus = await db
      .selectFrom('person')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('unique_id').as('ids')])
      .groupBy('status')
      .execute();
    const counts = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
    expect(counts).toEqual({ active: 425, pre_verified: 30, invited: 15, pending: 15, inactive: 15 });
    expect(Number(byStatus.find((r) => r.status === 'pre_verified')?.ids)).toBe(30);
    expect(site.communityIds).toHaveLength(7);
    const leaders = await db
      .selectFrom('membership')
      .select((eb) => eb.fn.count<number>('community_id').distinct().as('n'))
      .where('role', '=', 'leader')
      .executeTakeFirstOrThrow();
    expect(Number(leaders.n)).toBe(7);
    const invitedPending = await db
      .selectFrom('membership')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('person.status', '=', 'pending')
      .executeTakeFirstOrThrow();
    expect(Number(invitedPending.n)).toBe(0);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-csv-'));
    const file = writeDemoInviteCsv(dir, site, { people: 500, seed: 7, rows: 20 });
    const again = fs.readFileSync(writeDemoInviteCsv(dir, site, { people: 500, seed: 7, rows: 20 }), 'utf8');
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('Unique ID,Community ID,Note');
    expect(lines).toHaveLength(1 + 20 + 4);
    expect(again.trim().split('\r\n')).toEqual(lines);
    fs.rmSync(dir, { recursive: true });
  });

  it('headlines drop the disambiguating number but keep a class year', () => {
    expect(demoHeadline('Alumni in Berlin 18')).toBe('A community for Alumni in Berlin');
    expect(demoHeadline('Class of 2005')).toBe('A community for the Class of 2005');
    expect(demoHeadline('Class of 1970 · 2')).toBe('A community for the Class of 1970');
    expect(demoHeadline('Class of São Paulo 33')).toBe('A community for Class of São Paulo');
  });
});
