/**
 * "Duplicate of row N": a row skipped because an earlier row of the file had the same key names
 * that row in the dry run's samples, the job log (API) and the downloaded log, for every job type,
 * also when the job was interrupted and resumed between the two rows.
 */
import { expect, it } from 'vitest';
import { buildCommunity, buildPerson } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { processDataJob } from './engine/process.js';
import { adminCookie, runJob, upload } from './test-support.js';

const byUniqueId = { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' };

describeEachDb('data tools: duplicate of row N', (t) => {
  const app = useTestApp(t);

  async function logOf(cookie: string, id: number) {
    const page = await app().inject({ url: `/api/admin/data-jobs/${id}/results?limit=500`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    return (page.json() as { items: { rowNumber: number; reason: string | null; duplicateOf: number | null }[] }).items;
  }

  async function csvOf(cookie: string, id: number) {
    const csv = await app().inject({ url: `/api/admin/data-jobs/${id}/results.csv`, headers: { cookie } });
    expect(csv.statusCode).toBe(200);
    return csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
  }

  it('names the earlier row in the dry run, the log and the downloaded log of an invite job', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const c = await buildCommunity(ctx);
    await buildPerson(ctx, { uniqueId: 'DUP-A' });
    await buildPerson(ctx, { uniqueId: 'DUP-B' });
    const file = [
      'Community ID,Unique ID',
      `${c.id},DUP-A`, // row 2
      `${c.id},DUP-B`, // row 3
      `${c.id},DUP-NOPE`, // row 4
      `${c.id},DUP-B`, // row 5: repeats row 3
      `${c.id},DUP-A`, // row 6: repeats row 2
      `${c.id},DUP-B`, // row 7: repeats row 3, not row 5
    ].join('\n');
    const up = await upload(app(), cookie, { type: 'invite_to_community', file });
    expect(up.statusCode).toBe(201);
    const id = up.json().id as number;
    const mapped = await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${id}/mapping`,
      headers: { cookie },
      payload: byUniqueId,
    });
    expect(mapped.statusCode).toBe(200);
    const dryRun = mapped.json().dryRun as { samples: Record<string, { rowNumber: number; duplicateOf?: number }[]> };
    expect(dryRun.samples.duplicate_row.map((s) => [s.rowNumber, s.duplicateOf])).toEqual([
      [5, 3],
      [6, 2],
      [7, 3],
    ]);
    expect(dryRun.samples.unknown_person[0].duplicateOf).toBeUndefined();

    expect(
      (await app().inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/start`, headers: { cookie } })).statusCode,
    ).toBe(200);
    expect(await processDataJob(ctx, id)).toBe('completed');
    const log = await logOf(cookie, id);
    expect(log.map((r) => [r.rowNumber, r.reason, r.duplicateOf])).toEqual([
      [2, null, null],
      [3, null, null],
      [4, 'unknown_person', null],
      [5, 'duplicate_row', 3],
      [6, 'duplicate_row', 2],
      [7, 'duplicate_row', 3],
    ]);
    const lines = await csvOf(cookie, id);
    expect(lines[0]).toBe('Row,Community ID,Unique ID,Outcome,Reason,Reason in words');
    expect(lines[4]).toBe(`5,${c.id},DUP-B,skipped,duplicate_row,Duplicate of row 3`);
    expect(lines[5]).toBe(`6,${c.id},DUP-A,skipped,duplicate_row,Duplicate of row 2`);
    expect(lines[3]).toBe(`4,${c.id},DUP-NOPE,skipped,unknown_person,Unknown person ID`);
  });

  it('still names the earlier row when the job stopped between the two rows and resumed', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const c = await buildCommunity(ctx);
    await buildPerson(ctx, { uniqueId: 'RES-A' });
    await buildPerson(ctx, { uniqueId: 'RES-B' });
    const file = [
      'Community ID,Unique ID',
      `${c.id},RES-A`, // row 2: invited (no result row; its invitation names the row)
      `${c.id},RES-NOPE`, // row 3
      `${c.id},RES-B`, // row 4
      `${c.id},RES-B`, // row 5: repeats row 4
      `${c.id},RES-A`, // row 6: repeats row 2
    ].join('\n');
    const up = await upload(app(), cookie, { type: 'invite_to_community', file });
    const id = up.json().id as number;
    await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${id}/mapping`,
      headers: { cookie },
      payload: byUniqueId,
    });
    await app().inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/start`, headers: { cookie } });
    // The process dies after its first committed batch of two rows; the next one rebuilds the
    // duplicate check from what was written.
    await expect(
      processDataJob(ctx, id, {
        batchSize: 2,
        heartbeat: () => Promise.reject(new Error('the process died')),
      }),
    ).rejects.toThrow('the process died');
    expect(await processDataJob(ctx, id, { batchSize: 2 })).toBe('completed');
    const log = await logOf(cookie, id);
    expect(log.filter((r) => r.reason === 'duplicate_row').map((r) => [r.rowNumber, r.duplicateOf])).toEqual([
      [5, 4],
      [6, 2],
    ]);
  });

  it('names the earlier row for pre-verify, deactivate and update-people jobs', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const pre = await runJob(app(), ctx, cookie, {
      type: 'preverify',
      file: [
        'Unique ID,First Name,Last Name,Email',
        'PV-1,Ada,One,pv1@example.edu',
        ',Bea,Two,pv2@example.edu',
        'PV-3,Cy,Three,PV2@example.edu',
        'PV-1,Ada,Again,',
      ].join('\n'),
      mapping: {
        keyColumn: 'Unique ID',
        keyType: 'unique_id',
        firstNameColumn: 'First Name',
        lastNameColumn: 'Last Name',
        emailColumn: 'Email',
      },
    });
    expect(pre.status).toBe('completed');
    expect(
      (await logOf(cookie, pre.id))
        .filter((r) => r.reason === 'duplicate_row')
        .map((r) => [r.rowNumber, r.duplicateOf]),
    ).toEqual([
      [4, 3],
      [5, 2],
    ]);

    await buildPerson(ctx, { uniqueId: 'DE-1' });
    const off = await runJob(app(), ctx, cookie, {
      type: 'deactivate',
      file: 'Unique ID\nDE-1\nDE-404\nDE-1\n',
      mapping: { keyColumn: 'Unique ID', keyType: 'unique_id' },
    });
    expect(
      (await logOf(cookie, off.id))
        .filter((r) => r.reason === 'duplicate_row')
        .map((r) => [r.rowNumber, r.duplicateOf]),
    ).toEqual([[4, 2]]);
    expect((await csvOf(cookie, off.id))[3]).toBe('4,DE-1,skipped,duplicate_row,Duplicate of row 2');

    await buildPerson(ctx, { status: 'pre_verified', uniqueId: 'UP-1', email: 'up1@example.edu' });
    const update = await runJob(app(), ctx, cookie, {
      type: 'update_people',
      file: 'Unique ID,First Name\nUP-1,Ada\nUP-404,Nobody\nUP-1,Again\n',
      mapping: { keyColumn: 'Unique ID', keyType: 'unique_id', firstNameColumn: 'First Name' },
    });
    expect(update.status).toBe('completed');
    expect(
      (await logOf(cookie, update.id))
        .filter((r) => r.reason === 'duplicate_row')
        .map((r) => [r.rowNumber, r.duplicateOf]),
    ).toEqual([[4, 2]]);
  });
});
