/**
 * Property tests over generated CSV files: the upload keeps every value as written; every data
 * row gets exactly one outcome; the counters are the sums of the outcomes; the dry run foretells
 * the run; and a run interrupted after any batch resumes to the same outcomes.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { PersonStatus } from '../../shared/enums.js';
import { addMembership, buildCommunity, buildPerson } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { processDataJob } from './engine/process.js';
import { csvLine } from '../http/csv.js';
import { adminCookie, invitationsAgainstLog, readLog, upload } from './test-support.js';

/** Text a spreadsheet could hold: any Unicode except the control bytes a text file never has. */
const cellText = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(',', '"', '\n', '\r\n', ' ', 'é', '中', '😀', '=', 'a', '1'),
      fc.integer({ min: 0x20, max: 0x2fff }).map((c) => String.fromCharCode(c)),
    ),
    maxLength: 12,
  })
  // eslint-disable-next-line no-control-regex -- removing exactly those bytes is the point
  .map((s) => s.replace(/[\u0000-\u0008\u000e-\u001f]/g, '').replace(/\r(?!\n)/g, ''));

function quoted(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

describeEachDb('data tools: properties', (t) => {
  const app = useTestApp(t);

  it('stages every value exactly as written (quotes, commas, line breaks, BOM, CRLF or LF)', async () => {
    const { cookie } = await adminCookie(t().ctx);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(cellText, cellText, cellText), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.boolean(),
        async (rows, bom, crlf) => {
          const eol = crlf ? '\r\n' : '\n';
          const file = `${bom ? '\uFEFF' : ''}A,B,C${eol}${rows.map((r) => r.map(quoted).join(',')).join(eol)}${eol}`;
          const res = await upload(app(), cookie, { type: 'deactivate', file });
          expect(res.statusCode).toBe(201);
          const job = res.json();
          expect(job.rowCount).toBe(rows.length);
          const staged = await t()
            .ctx.db.selectFrom('data_job_row')
            .select(['row_number', 'values'])
            .where('data_job_id', '=', job.id)
            .orderBy('row_number')
            .execute();
          expect(staged.map((s) => JSON.parse(s.values))).toEqual(rows);
          expect(staged.map((s) => s.row_number)).toEqual(rows.map((_, i) => i + 2));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('gives every row one outcome, counters that sum them, a dry run that foretells them, and the same end after an interruption', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const communities = [await buildCommunity(ctx), await buildCommunity(ctx)];
    const statuses: PersonStatus[] = ['active', 'active', 'pre_verified', 'invited', 'pending', 'inactive'];
    const people = [];
    for (const [i, status] of statuses.entries()) people.push(await buildPerson(ctx, { status, uniqueId: `PP-${i}` }));
    await addMembership(ctx, communities[0].id, people[0].id, 'joined');
    await addMembership(ctx, communities[1].id, people[1].id, 'dismissed');
    const communityCell = fc.oneof(
      fc.constantFrom(...communities.map((c) => String(c.id))),
      fc.constantFrom('999999', 'x', ''),
    );
    const personCell = fc.oneof(
      fc.constantFrom(...people.map((p) => p.unique_id ?? '')),
      fc.constantFrom('NOBODY', ' PP-0 ', ''),
    );

    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(communityCell, personCell), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 5 }),
        async (rows, batchSize, stopAfter) => {
          const file = `Community ID,Unique ID\r\n${rows.map((r) => csvLine(r).trimEnd()).join('\r\n')}\r\n`;
          const id = (await upload(app(), cookie, { type: 'invite_to_community', file })).json().id as number;
          const mapped = (
            await app().inject({
              method: 'PUT',
              url: `/api/admin/data-jobs/${id}/mapping`,
              headers: { cookie },
              payload: { keyColumn: 2, keyType: 'unique_id', communityColumn: 1 },
            })
          ).json();
          await app().inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/start`, headers: { cookie } });
          // A process that dies after `stopAfter` batches, then a fresh one that resumes.
          const controller = new AbortController();
          let batches = 0;
          await processDataJob(ctx, id, {
            batchSize,
            signal: controller.signal,
            heartbeat: async () => {
              if (++batches >= stopAfter) controller.abort();
            },
          }).catch(() => {});
          expect(await processDataJob(ctx, id, { batchSize: batchSize + 1 })).toBe('completed');

          const job = (await app().inject({ url: `/api/admin/data-jobs/${id}`, headers: { cookie } })).json();
          const results = await readLog(ctx, id);
          expect(results.map((r) => r.row_number)).toEqual(rows.map((_, i) => i + 2));
          const outcomes: Record<string, number> = {};
          const reasons: Record<string, number> = {};
          for (const r of results) {
            outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
            if (r.reason) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
          }
          expect(job.counters).toEqual({ outcomes, reasons });
          expect({ outcomes: mapped.dryRun.outcomes, reasons: mapped.dryRun.reasons }).toEqual({ outcomes, reasons });
          const invited = await ctx.db
            .selectFrom('membership')
            .select('person_id')
            .where('data_job_id', '=', id)
            .execute();
          expect(invited.length).toBe(outcomes.invited ?? 0);
          expect(await invitationsAgainstLog(ctx, id)).toEqual({ unbacked: 0, doubled: 0, strays: 0 });
          // Undo keeps later runs independent of this one.
          await app().inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/undo`, headers: { cookie } });
        },
      ),
      { numRuns: 30 },
    );
  });
});
