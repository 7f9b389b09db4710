/**
 * The headline: a 1,000,000-row invite CSV over a site of 1,000,000 people and 1,000
 * communities — upload (streamed over HTTP) → staged → dry run → processed — run in a child
 * process whose peak RSS is read at the end. SQLite always; PostgreSQL too when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL is set (DATA_JOB_DB=sqlite|postgres runs one).
 * DATA_JOB_ROWS / DATA_JOB_PEOPLE shrink it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { demoUniqueIdOf } from '../../src/server/demo/generate.js';
import { round, type BenchFigure } from '../lib/figures.js';
import { benchDataDir, benchPgAdminUrl, prepareBenchSite } from '../lib/site.js';

const run$ = promisify(execFile);
const rows = Number(process.env.DATA_JOB_ROWS ?? 1_000_000);
const people = Number(process.env.DATA_JOB_PEOPLE ?? 1_000_000);
const communities = 1_000;

/**
 * The CSV: row i invites person (i * 7919) mod people into community i mod 1000 + 1; one row in
 * 200 is bad (unknown person, unknown community, not an ID, or a repeat of the previous row).
 */
function writeCsv(file: string): void {
  if (fs.existsSync(file)) return;
  const out = fs.openSync(`${file}.tmp`, 'w');
  let buf = 'Community ID,Unique ID\r\n';
  for (let i = 0; i < rows; i++) {
    const community = (i % communities) + 1;
    const n = (i * 7919) % people;
    const uid = demoUniqueIdOf(n) ?? `U${String(n + 1).padStart(7, '0')}`;
    const bad = i % 200;
    if (bad === 1) buf += `${community},X${i}\r\n`;
    else if (bad === 2) buf += `${communities + 5},${uid}\r\n`;
    else if (bad === 3) buf += `abc,${uid}\r\n`;
    else buf += `${community},${uid}\r\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(out, buf);
      buf = '';
    }
  }
  fs.writeSync(out, buf);
  fs.closeSync(out);
  fs.renameSync(`${file}.tmp`, file);
}

interface ChildResult {
  result: string;
  rows: number;
  uploadMs: number;
  dryRunMs: number;
  processMs: number;
  totalMs: number;
  maxRssMb: number;
  cpuMs: number;
  counters: unknown;
  dryRun: unknown;
}

async function runOn(dialect: 'sqlite' | 'postgres', csv: string): Promise<BenchFigure[]> {
  const site = await prepareBenchSite(dialect, { people, communities });
  try {
    const { stdout, stderr } = await run$(
      process.execPath,
      ['--import', 'tsx', path.resolve('bench/lib/data-job-child.ts'), site.url, csv],
      { maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 },
    );
    if (stderr.trim()) process.stderr.write(stderr);
    const r = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
    const load = os.loadavg()[0].toFixed(1);
    process.stderr.write(
      `   [${dialect}] ${r.rows} rows: upload ${(r.uploadMs / 1000).toFixed(1)} s, dry run ${(r.dryRunMs / 1000).toFixed(1)} s, ` +
        `processing ${(r.processMs / 1000).toFixed(1)} s, total ${(r.totalMs / 1000).toFixed(1)} s, peak RSS ${r.maxRssMb.toFixed(0)} MB, ` +
        `CPU of the job's process ${(r.cpuMs / 1000).toFixed(1)} s, load average ${load}\n` +
        `   dry run ${JSON.stringify(r.dryRun)}\n   counters ${JSON.stringify(r.counters)}\n`,
    );
    const perS = (ms: number) => Math.round(r.rows / (ms / 1000));
    return [
      {
        name: 'data_job.total_s',
        value: round(r.totalMs / 1000),
        unit: 's',
        db: dialect,
        note: `${r.rows} rows, target ${dialect === 'sqlite' ? 20 : 40} s, load average ${load}`,
      },
      {
        name: 'data_job.cpu_s',
        value: round(r.cpuMs / 1000),
        unit: 's',
        db: dialect,
        note: "CPU time of the process that uploads and runs the job (PostgreSQL's own not included)",
      },
      { name: 'data_job.peak_rss_mb', value: Math.round(r.maxRssMb), unit: 'MB', db: dialect, note: 'target < 400' },
      { name: 'data_job.upload_rows_per_s', value: perS(r.uploadMs), unit: 'rows/s', db: dialect },
      { name: 'data_job.dry_run_rows_per_s', value: perS(r.dryRunMs), unit: 'rows/s', db: dialect },
      { name: 'data_job.process_rows_per_s', value: perS(r.processMs), unit: 'rows/s', db: dialect },
      { name: 'data_job.upload_s', value: round(r.uploadMs / 1000), unit: 's', db: dialect },
      { name: 'data_job.dry_run_s', value: round(r.dryRunMs / 1000), unit: 's', db: dialect },
      { name: 'data_job.process_s', value: round(r.processMs / 1000), unit: 's', db: dialect },
    ];
  } finally {
    await site.drop();
  }
}

/** The invite CSV the data job uploads, written once under bench/data/ (the csv-parse scenario reads it too). */
export function inviteCsv(): { file: string; rows: number } {
  fs.mkdirSync(benchDataDir, { recursive: true });
  const file = path.join(benchDataDir, `invite-${rows}-over-${people}.csv`);
  writeCsv(file);
  return { file, rows };
}

export async function run(): Promise<BenchFigure[]> {
  const csv = inviteCsv().file;
  const only = process.env.DATA_JOB_DB;
  const figures: BenchFigure[] = [];
  if (only !== 'postgres') figures.push(...(await runOn('sqlite', csv)));
  if (only !== 'sqlite' && benchPgAdminUrl()) figures.push(...(await runOn('postgres', csv)));
  return figures;
}
