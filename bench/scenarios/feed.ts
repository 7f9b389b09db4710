/**
 * A feed's night: the data-job scenario's 1,000,000-row invite CSV (over its cached site of
 * 1,000,000 people and 1,000 communities) renamed into a feed's folder and run end to end by
 * the worker's own steps — scans (see, take: hash and record), `feeds.take` (read into a Data
 * Tools job, dry run, start), processing, and the scan that settles the run — in a child process
 * whose peak RSS and CPU time are read at the end. The targets are the data job's: ≤ 20 s on
 * SQLite, ≤ 40 s on PostgreSQL, < 400 MB. SQLite always; PostgreSQL too when BENCH_DATABASE_URL
 * or TEST_DATABASE_URL is set (FEED_DB=sqlite|postgres runs one). DATA_JOB_ROWS / DATA_JOB_PEOPLE
 * shrink it, as for the data-job scenario.
 */
import os from 'node:os';
import { runBenchChild } from '../lib/compiled.js';
import { round, type BenchFigure } from '../lib/figures.js';
import { benchPgAdminUrl, prepareBenchSite } from '../lib/site.js';
import { inviteCsv } from './data-job.js';

const people = Number(process.env.DATA_JOB_PEOPLE ?? 1_000_000);
const communities = 1_000;

interface ChildResult {
  rows: number;
  jobStatus: string;
  runStatus: string;
  scanMs: number;
  takeMs: number;
  uploadMs: number;
  dryRunMs: number;
  processMs: number;
  settleMs: number;
  totalMs: number;
  maxRssMb: number;
  phasePeakMb: Record<string, number>;
  phaseHeapMb: Record<string, Record<string, number>>;
  mallocArenas?: { arenas: number; arenaRssMb: number };
  cpuMs: number;
  counters: unknown;
  dryRun: unknown;
}

async function runOn(dialect: 'sqlite' | 'postgres', csv: string): Promise<BenchFigure[]> {
  const site = await prepareBenchSite(dialect, { people, communities });
  try {
    const loadBefore = os.loadavg()[0].toFixed(1);
    const r = await runBenchChild<ChildResult>('feed-child', [site.url, csv], 20 * 60_000);
    const load = `${loadBefore} → ${os.loadavg()[0].toFixed(1)}`;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    process.stderr.write(
      `   [${dialect}] ${r.rows} rows, run ${r.runStatus}, job ${r.jobStatus}: scan ${s(r.scanMs)}, ` +
        `take ${s(r.takeMs)} (upload ${s(r.uploadMs)}, dry run ${s(r.dryRunMs)}), processing ${s(r.processMs)}, ` +
        `settle ${s(r.settleMs)}, total ${s(r.totalMs)}, peak RSS ${r.maxRssMb.toFixed(0)} MB, ` +
        `CPU of the worker's process ${s(r.cpuMs)}, load average ${load}\n` +
        `   peak RSS by phase (sampled) ${JSON.stringify(r.phasePeakMb)}\n` +
        `   peak V8 heap and external memory by phase (MB) ${JSON.stringify(r.phaseHeapMb)}\n` +
        `   malloc arenas at the end ${JSON.stringify(r.mallocArenas ?? null)}\n` +
        `   dry run ${JSON.stringify(r.dryRun)}\n   counters ${JSON.stringify(r.counters)}\n`,
    );
    const figure = (name: string, ms: number, note?: string): BenchFigure => ({
      name: `feed.${name}`,
      value: round(ms / 1000),
      unit: 's',
      db: dialect,
      ...(note ? { note } : {}),
    });
    return [
      figure('total_s', r.totalMs, `${r.rows} rows, target ${dialect === 'sqlite' ? 20 : 40} s, load average ${load}`),
      figure('cpu_s', r.cpuMs, "CPU time of the worker's process (PostgreSQL's own not included)"),
      { name: 'feed.peak_rss_mb', value: Math.round(r.maxRssMb), unit: 'MB', db: dialect, note: 'target < 400' },
      figure('scan_s', r.scanMs, 'two scans: see the file, then hash and record it'),
      figure('take_s', r.takeMs, 'feeds.take: upload, dry run, start'),
      figure('upload_s', r.uploadMs, 'within take (to the poll’s 100 ms)'),
      figure('dry_run_s', r.dryRunMs, 'within take (to the poll’s 100 ms)'),
      figure('process_s', r.processMs),
      figure('settle_s', r.settleMs, 'the scan that finishes the run (email, webhook event)'),
    ];
  } finally {
    await site.drop();
  }
}

export async function run(): Promise<BenchFigure[]> {
  const csv = inviteCsv().file;
  const only = process.env.FEED_DB;
  const figures: BenchFigure[] = [];
  if (only !== 'postgres') figures.push(...(await runOn('sqlite', csv)));
  if (only !== 'sqlite' && benchPgAdminUrl()) figures.push(...(await runOn('postgres', csv)));
  return figures;
}
