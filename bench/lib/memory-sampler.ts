/**
 * Samples the process's memory every 50 ms and keeps, per named phase, the highest RSS and the
 * highest heap figures (MB): where a child's peak comes from, and what it is made of (V8's heap,
 * memory outside it such as Buffers, or native memory: SQLite's page caches, look-up threads).
 * BENCH_MEM_TRACE=1 prints every sample on stderr. A batch that holds the event loop delays the
 * samples, so the process's own maxRSS remains the figure for the peak.
 */
import fs from 'node:fs';
import type { AppContext } from '../../src/server/context.js';

export interface MemorySampler {
  phase: string;
  readonly peakRssMb: Record<string, number>;
  readonly peakHeapMb: Record<string, Record<string, number>>;
  /** takes a sample now (between a job's batches, when the timer cannot run); `note` goes in the trace */
  sample(note?: string): void;
  stop(): void;
}

export function sampleMemory(first: string, everyMs = 50): MemorySampler {
  const sampler: MemorySampler = {
    phase: first,
    peakRssMb: {},
    peakHeapMb: {},
    sample: (note) => sample(note),
    stop: () => clearInterval(timer),
  };
  const trace = Boolean(process.env.BENCH_MEM_TRACE);
  const t0 = performance.now();
  const sample = (note?: string) => {
    const m = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1e6);
    const { phase } = sampler;
    sampler.peakRssMb[phase] = Math.max(sampler.peakRssMb[phase] ?? 0, mb(m.rss));
    const h = (sampler.peakHeapMb[phase] ??= {});
    for (const k of ['heapUsed', 'heapTotal', 'external', 'arrayBuffers'] as const)
      h[k] = Math.max(h[k] ?? 0, mb(m[k]));
    if (trace)
      process.stderr.write(
        `mem ${phase} ${Math.round(performance.now() - t0)} ms rss=${mb(m.rss)} heapUsed=${mb(m.heapUsed)} ` +
          `heapTotal=${mb(m.heapTotal)} external=${mb(m.external)} arrayBuffers=${mb(m.arrayBuffers)}${note ? ` ${note}` : ''}\n`,
      );
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return sampler;
}

/** A data job's rows processed so far (the trace's batch sizes are the differences). */
export async function processedRows(ctx: AppContext, dataJobId: number): Promise<number | undefined> {
  const job = await ctx.db
    .selectFrom('data_job')
    .select('processed_rows')
    .where('id', '=', dataJobId)
    .executeTakeFirst();
  return job?.processed_rows;
}

/**
 * Linux: the resident memory of glibc's extra malloc arenas (each a 64 MB-aligned anonymous
 * mapping; threads that meet at a busy arena get one of their own, and freed memory stays in
 * it), against the process's whole RSS. Undefined elsewhere.
 */
export function mallocArenas(): { arenas: number; arenaRssMb: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return undefined;
  }
  const maps: { start: bigint; end: bigint; perms: string; anon: boolean; rssKb: number }[] = [];
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (head) {
      maps.push({
        start: BigInt(`0x${head[1]}`),
        end: BigInt(`0x${head[2]}`),
        perms: head[3],
        anon: head[4] === '0' && head[5] === '',
        rssKb: 0,
      });
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && maps.length) maps[maps.length - 1].rssKb = Number(rss[1]);
  }
  const size = 64n * 1024n * 1024n;
  let arenas = 0;
  let rssKb = 0;
  for (let i = 0; i < maps.length; i++) {
    const m = maps[i];
    if (!m.anon || m.perms !== 'rw-p' || m.start % size !== 0n) continue;
    const next = maps[i + 1];
    const end = next && next.anon && next.perms === '---p' && next.start === m.end ? next.end : m.end;
    if (end - m.start !== size) continue;
    arenas++;
    rssKb += m.rssKb;
  }
  return { arenas, arenaRssMb: Math.round(rssKb / 1024) };
}
