/**
 * `convene jobs run --type <type> --file <path> --key <unique_id|preverification_id|profile_id>
 * [--wait] [--as <admin email>] [--no-header]`: a Data Tools job for scripts. The file goes
 * through the same upload, mapping (columns found by their header names, as the wizard guesses
 * them), dry run and start as in the web app, by the first active site admin (or `--as`). Without
 * --wait the job is queued for the running workers; with --wait this process runs a worker too,
 * prints progress and the log's totals, and exits 0 when no row was refused, 2 when some were,
 * 1 on an error (or a job that failed or was canceled).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dataJobTypes, type DataJobType, keyTypes, type KeyType } from '../../../shared/enums.js';
import { createRuntime } from '../../bootstrap.js';
import { loadConfig } from '../../config.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { startWorker, type WorkerRegistries } from '../../jobs/worker.js';
import { findFirstActiveAdmin, findActiveAdminByEmail } from '../engine/data-job.repository.js';
import { parseCounters } from '../engine/counters.js';
import { guessMapping, headerColumnOf } from '../engine/mapping.js';
import { type UploadPart, uploadDataJob } from '../upload/upload.service.js';
import { getDataJob, jobColumns, mapDataJob, startDataJob } from './data-job.service.js';

export const jobsRunUsage =
  `Usage: convene jobs run --type <invite|${dataJobTypes.join('|')}> --file <path> ` +
  '--key <unique_id|preverification_id|profile_id> [--wait] [--as <admin email>] [--no-header]';

/** The short names scripts use, and the job types themselves. */
const typeNames: Record<string, DataJobType> = {
  invite: 'invite_to_community',
  'pre-verify': 'preverify',
  ...Object.fromEntries(dataJobTypes.map((t) => [t, t])),
};

class UsageError extends Error {}

export interface JobsRunOutcome {
  readonly exitCode: 0 | 1 | 2;
}

/** The command's work with its output given (the CLI passes console; tests read it). */
export async function runJobsCommand(
  ctx: AppContext,
  registries: WorkerRegistries,
  args: string[],
  out: (line: string) => void,
  pollMs = 1_000,
): Promise<JobsRunOutcome> {
  const { values } = parseArgs({
    args,
    options: {
      type: { type: 'string' },
      file: { type: 'string' },
      key: { type: 'string' },
      wait: { type: 'boolean', default: false },
      as: { type: 'string' },
      'no-header': { type: 'boolean', default: false },
    },
  });
  const type = values.type ? typeNames[values.type] : undefined;
  if (!type) throw new UsageError(`--type must be one of: invite, ${dataJobTypes.join(', ')}`);
  if (!values.file) throw new UsageError('--file is required');
  const key = values.key as KeyType | undefined;
  if (!key || !keyTypes.includes(key)) throw new UsageError(`--key must be one of: ${keyTypes.join(', ')}`);
  const admin = values.as ? await findActiveAdminByEmail(ctx.db, values.as) : await findFirstActiveAdmin(ctx.db);
  if (!admin)
    throw new UsageError(
      values.as
        ? `${values.as} is not an active site admin`
        : 'the site has no active admin (convene admin add <email>)',
    );
  const file = path.resolve(values.file);
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const hasHeader = !values['no-header'];

  async function* parts(): AsyncIterable<UploadPart> {
    yield { kind: 'field', name: 'type', value: type as string };
    yield { kind: 'field', name: 'hasHeader', value: String(hasHeader) };
    yield { kind: 'file', name: 'file', fileName: path.basename(file), stream: fs.createReadStream(file) };
  }
  const id = await uploadDataJob(ctx, admin.id, parts());
  const uploaded = await getDataJob(ctx, id);
  const columns = jobColumns(uploaded);
  const guess = guessMapping(type, columns, hasHeader) ?? { keyColumn: null, keyType: key };
  const keyColumn = hasHeader ? headerColumnOf(columns, key) : guess.keyColumn;
  if (keyColumn === undefined || keyColumn === null)
    throw new UsageError(`no column of the file names the key ${key} (its columns: ${columns.join(', ')})`);
  const mapped = await mapDataJob(ctx, id, { ...guess, keyType: key, keyColumn });
  const dry = mapped.dry_run ? parseCounters(mapped.dry_run) : undefined;
  out(`Job ${id}: ${uploaded.row_count} rows from ${path.basename(file)} (${type}, key ${key})`);
  if (dry) out(`Dry run: ${formatTotals(dry.outcomes)}`);
  await startDataJob(ctx, id);
  if (!values.wait) {
    out(`Job ${id} is queued; a running worker takes it.`);
    return { exitCode: 0 };
  }
  const stop = await startWorker(ctx, registries);
  try {
    let last = -1;
    for (;;) {
      const job = await getDataJob(ctx, id);
      if (job.processed_rows !== last) {
        last = job.processed_rows;
        out(`Progress: ${job.processed_rows} of ${job.row_count} rows (${job.status})`);
      }
      if (job.status === 'completed' || job.status === 'failed' || job.status === 'canceled') {
        const counters = parseCounters(job.counters);
        out(`Finished: ${job.status}`);
        out(`Totals: ${formatTotals(counters.outcomes)}`);
        if (Object.keys(counters.reasons).length) out(`Refused rows by reason: ${formatTotals(counters.reasons)}`);
        if (job.status !== 'completed') {
          if (job.error) out(`Error: ${job.error}`);
          return { exitCode: 1 };
        }
        return { exitCode: (counters.outcomes.skipped ?? 0) > 0 ? 2 : 0 };
      }
      // Progress is printed as the job's row changes; this is the interval of reading it.
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    await stop();
  }
}

function formatTotals(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(', ') : 'none';
}

/** The CLI entry: exit 0 (no row refused), 2 (some refused), 1 (an error). */
export async function jobsRunCommand(args: string[], registries: WorkerRegistries): Promise<void> {
  let runtime: Awaited<ReturnType<typeof createRuntime>> | undefined;
  let code: number;
  try {
    runtime = await createRuntime(loadConfig());
    code = (await runJobsCommand(runtime.ctx, registries, args, (line) => console.log(line))).exitCode;
  } catch (error) {
    if (error instanceof UsageError) console.error(`${error.message}\n${jobsRunUsage}`);
    else if (error instanceof AppError) console.error(`${error.code}: ${error.message}`);
    else if (error instanceof TypeError && /parseArgs|ERR_PARSE_ARGS/.test(String((error as { code?: string }).code)))
      console.error(`${error.message}\n${jobsRunUsage}`);
    else console.error(error instanceof Error ? error.message : String(error));
    code = 1;
  } finally {
    await runtime?.close();
  }
  process.exit(code);
}
