/**
 * Fault test: a worker process is SIGKILLed at several points of a 100,000-row invite job and
 * restarted; the job must end exactly as an uninterrupted run would (the dry run says how):
 * every row one outcome, counters = sums of outcomes, no duplicate and no missing invitation,
 * and no email.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { generateSite } from '../demo/generate.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { waitFor } from '../testing/wait-for.js';
import { adminCookie, invitationsAgainstLog, logTotals, mixedInviteCsv, readLog, upload } from './test-support.js';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fault-child.ts');
const rows = 100_000;

function startWorker(url: string, jobId: number): { proc: ChildProcess; done: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, url, String(jobId)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { proc, done: new Promise((resolve) => proc.on('exit', (code) => resolve(code))) };
}

describeEachDb('data tools: SIGKILL during a 100,000-row job', (t) => {
  const app = useTestApp(t);

  // The heaviest test in the suite (a 100,000-row job through five worker processes): twice the usual time.
  it('resumes to exactly the counts of an uninterrupted run, with no duplicate, no missing invitation and no email', async () => {
    const ctx = t().ctx;
    const { cookie } = await adminCookie(ctx);
    const site = await generateSite(ctx.db, { people: 20_000, communities: 40, seed: 7 });
    const file = await mixedInviteCsv(ctx, site, rows);
    const up = await upload(app(), cookie, { type: 'invite_to_community', file });
    expect(up.statusCode).toBe(201);
    const id = up.json().id as number;
    const mapped = (
      await app().inject({
        method: 'PUT',
        url: `/api/admin/data-jobs/${id}/mapping`,
        headers: { cookie },
        payload: { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' },
      })
    ).json();
    expect(
      (await app().inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/start`, headers: { cookie } })).statusCode,
    ).toBe(200);

    const processed = async () =>
      Number(
        (await ctx.db.selectFrom('data_job').select('processed_rows').where('id', '=', id).executeTakeFirstOrThrow())
          .processed_rows,
      );
    // Kill once the job has passed each mark (so mid-batch, inside a transaction), and once right after start-up.
    for (const mark of [0, 15_000, 45_000, 75_000]) {
      const worker = startWorker(t().databaseUrl, id);
      const before = await processed();
      await waitFor(
        async () => {
          const p = await processed();
          return (mark === 0 && p > before) || (mark > 0 && p >= mark) || worker.proc.exitCode !== null;
        },
        { what: `the worker to pass row ${mark || before + 1}`, intervalMs: 15 },
      );
      worker.proc.kill('SIGKILL');
      await worker.done;
    }
    expect(await processed()).toBeLessThan(rows);
    const last = startWorker(t().databaseUrl, id);
    expect(await last.done).toBe(0);

    const job = (await app().inject({ url: `/api/admin/data-jobs/${id}`, headers: { cookie } })).json();
    expect(job.status).toBe('completed');
    expect(job.progress).toMatchObject({ done: rows, total: rows });
    // The log: every row one outcome (a result row, or its invitation), as the product reads it.
    const { outcomes, reasons, rows: logged } = await logTotals(ctx, id);
    expect(logged).toBe(rows);
    expect((await readLog(ctx, id)).map((r) => r.row_number)).toEqual(Array.from({ length: rows }, (_, i) => i + 2));
    expect(job.counters).toEqual({ outcomes, reasons });
    expect({ outcomes: mapped.dryRun.outcomes, reasons: mapped.dryRun.reasons }).toEqual({ outcomes, reasons });
    expect(outcomes.invited).toBeGreaterThan(50_000);
    expect(reasons.duplicate_row).toBeGreaterThan(0);

    // No missing and no duplicate invitation: one per invited row, each naming its row.
    const invitations = await ctx.db
      .selectFrom('membership')
      .select(sql<number>`count(*)`.as('n'))
      .where('data_job_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(invitations.n)).toBe(outcomes.invited);
    expect(await invitationsAgainstLog(ctx, id)).toEqual({ unbacked: 0, doubled: 0, strays: 0 });
    const emails = await ctx.db
      .selectFrom('email_outbox')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(emails.n)).toBe(0);
  }, 240_000);
});
