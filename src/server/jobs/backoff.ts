/**
 * Exponential backoff with jitter, shared by the job runner and the email sender.
 * Attempt 1 waits about `baseMs`, each further attempt doubles, up to `capMs`; the delay is drawn
 * uniformly from [d/2, d] so that many items failing together do not all retry at one instant.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const d = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(d / 2 + (random() * d) / 2);
}

// eslint-disable-next-line no-control-regex
const CONTROL_RUNS = /[\u0000-\u001f]+/g;

/** A short, single-line error text for `last_error` columns (never a stack). */
export function errorText(error: unknown, max = 1000): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(CONTROL_RUNS, ' ').trim().slice(0, max) || 'unknown error';
}
