/**
 * The one way a test waits for something that happens on its own time — a worker's loop, a
 * socket, another process: poll a check until it holds.
 *
 *   await waitFor(async () => (await findJob(db, id))?.state === 'running', { what: 'the job to be running' });
 *   const mail = await waitFor(() => peer.messagesTo(address)[0], { what: `an email to ${address}` });
 *
 * By default it waits as long as the running test may (its timeout, less a moment so that this
 * error, naming what never happened, is the one reported); outside a test, as long as a hook may.
 * A slow machine therefore makes a test slower, never wrong.
 */
import { TestRunner } from 'vitest';
import { hookTimeoutMs } from './timeouts.js';

export interface WaitForOptions {
  /** what is awaited, for the error ("the job to be running"); a function to describe the state at failure */
  readonly what: string | (() => string);
  /** an explicit overall limit, for callers outside a test (benchmarks); tests leave it to the default */
  readonly timeoutMs?: number;
  /** pause between checks */
  readonly intervalMs?: number;
}

/** Leaves the test's own timeout this long to report the waitFor error first. */
const reportMarginMs = 1_000;

function defaultLimitMs(): number {
  const test = TestRunner.getCurrentTest();
  const startedAt = test?.result?.startTime;
  if (test && startedAt !== undefined && test.timeout > 0)
    return Math.max(startedAt + test.timeout - reportMarginMs - Date.now(), 0);
  return hookTimeoutMs - reportMarginMs;
}

type Falsy = false | 0 | '' | null | undefined;

/**
 * Calls `check` until it returns a truthy value, and returns that value. An exception from
 * `check` ends the wait at once (it is a failure, not "not yet").
 */
export async function waitFor<T>(
  check: () => T | Falsy | Promise<T | Falsy>,
  options: WaitForOptions,
): Promise<Exclude<T, Falsy>> {
  const limitMs = options.timeoutMs ?? defaultLimitMs();
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, Falsy>;
    if (Date.now() >= deadline) {
      const what = typeof options.what === 'function' ? options.what() : options.what;
      throw new Error(`waitFor: gave up after ${limitMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
