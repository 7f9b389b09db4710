/**
 * A bounded HTTP load on loopback with autocannon: fixed connections and duration, per-response
 * latencies kept to compute p50/p95, and every non-2xx status counted.
 */
import { createRequire } from 'node:module';
import { percentile, round } from './figures.js';

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: {
    setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }[];
}
interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): void;
  on(event: 'done', fn: (result: AutocannonResult) => void): void;
  on(event: 'error', fn: (error: Error) => void): void;
}
interface AutocannonResult {
  errors: number;
  timeouts: number;
  requests: { total: number; average: number };
  non2xx: number;
  duration: number;
}
type Autocannon = (options: AutocannonOptions) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadOptions {
  readonly url: string;
  readonly connections?: number;
  readonly seconds?: number;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  /** called for every request: vary cookies or bodies */
  readonly setupRequest?: (req: AutocannonRequest, n: number) => AutocannonRequest;
  /** sees every answer's status and time (ms), for figures over several runs */
  readonly onResponse?: (status: number, ms: number) => void;
}

export interface LoadResult {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p95: number;
  /** socket errors and timeouts */
  readonly errors: number;
  readonly statuses: Readonly<Record<number, number>>;
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let n = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: options.url,
      connections: options.connections ?? 50,
      duration: options.seconds ?? 5,
      method: options.method ?? 'GET',
      headers: options.headers,
      requests: options.setupRequest ? [{ setupRequest: (req) => options.setupRequest!(req, n++) }] : undefined,
    });
    instance.on('response', (_client, status, _bytes, ms) => {
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
      options.onResponse?.(status, ms);
    });
    instance.on('error', reject);
    instance.on('done', (result) => {
      resolve({
        requests: latencies.length,
        rps: round(latencies.length / Math.max(result.duration, 0.001), 0),
        p50: round(percentile(latencies, 50)),
        p95: round(percentile(latencies, 95)),
        errors: result.errors + result.timeouts,
        statuses,
      });
    });
  });
}

/** Count of answers outside 2xx (and outside `allowed`, e.g. 429 for rate-limited routes). */
export function unexpectedStatuses(result: LoadResult, allowed: readonly number[] = []): number {
  return Object.entries(result.statuses)
    .filter(([s]) => !(Number(s) >= 200 && Number(s) < 300) && !allowed.includes(Number(s)))
    .reduce((sum, [, count]) => sum + count, 0);
}
