/**
 * Where a phase's old-generation garbage comes from: V8's sampling heap profiler, keeping the
 * samples of objects that a full collection freed (they outlived the young generation, so they
 * grew the old one until the next full collection) and leaving out what scavenges freed.
 * BENCH_HEAP_PROF=1 in a bench child prints, on stderr, the allocating functions by sampled bytes.
 */
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

export interface HeapProfile {
  /** stops sampling and prints the `top` heaviest allocation sites (with their callers) on stderr */
  report(top?: number): Promise<void>;
}

export async function startOldGenerationProfile(): Promise<HeapProfile> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 16 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  });
  return {
    async report(top = 25) {
      const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
      session.disconnect();
      const sites = new Map<string, number>();
      let total = 0;
      const frame = (n: ProfileNode) =>
        `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
      const walk = (n: ProfileNode, path: ProfileNode[]) => {
        if (n.selfSize) {
          total += n.selfSize;
          const callers = path
            .slice(-3)
            .reverse()
            .map((p) => frame(p))
            .join(' < ');
          const key = `${frame(n)}${callers ? ` < ${callers}` : ''}`;
          sites.set(key, (sites.get(key) ?? 0) + n.selfSize);
        }
        for (const c of n.children) walk(c, [...path, n]);
      };
      walk(profile.head, []);
      process.stderr.write(`old-generation allocations sampled: ${(total / 1e6).toFixed(1)} MB\n`);
      for (const [site, bytes] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, top))
        process.stderr.write(`${(bytes / 1e6).toFixed(1).padStart(7)} MB  ${site}\n`);
    },
  };
}
