/** A benchmark figure as printed and written to bench/results/latest.json. */
export interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** 'sqlite' or 'postgres' (or 'none' for figures that touch no database) */
  readonly db: string;
  readonly note?: string;
}

export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Times `fn` `n` times after `warmup` runs; returns p50 and p95 in ms. */
export async function timeMany(
  n: number,
  fn: (i: number) => Promise<unknown>,
  warmup = Math.min(20, n),
): Promise<{ p50: number; p95: number; samples: number[] }> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  return { p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)), samples };
}
