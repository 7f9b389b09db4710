/**
 * The requests this process is answering, so that background work in the same process gives way
 * to them. On SQLite a data job's batch runs synchronously (better-sqlite3) and holds the event
 * loop; between batches the job waits until no request is in flight, for at most a multiple of
 * its last batch's time (so that under constant load it still gets a share and finishes).
 * Interactive requests also shorten its batches (servedWithin); machine probes and progress polls
 * are only waited for.
 */
/** every request being answered: a job waits for them between its batches */
let inFlight = 0;
/** those from people at pages (not probes or progress polls): they shorten a SQLite job's batches */
let interactiveInFlight = 0;
let lastStartedAt = Number.NEGATIVE_INFINITY;
const waiters = new Set<() => void>();

/** `interactive` false: a machine probe or a progress poll (the route's `config.interactive`). */
export function requestStarted(interactive = true): void {
  inFlight += 1;
  if (!interactive) return;
  interactiveInFlight += 1;
  lastStartedAt = performance.now();
}

/** Whether an interactive request is in flight or one started within the last `ms` milliseconds. */
export function servedWithin(ms: number): boolean {
  return interactiveInFlight > 0 || performance.now() - lastStartedAt <= ms;
}

export function requestEnded(interactive = true): void {
  inFlight = Math.max(0, inFlight - 1);
  if (interactive) interactiveInFlight = Math.max(0, interactiveInFlight - 1);
  if (inFlight > 0) return;
  for (const wake of [...waiters]) wake();
}

/** requests started and not yet answered (or abandoned) */
export function requestsInFlight(): number {
  return inFlight;
}

/** Resolves once no request is in flight, or after `maxMs` at the latest. */
export function whenNoRequests(maxMs: number): Promise<void> {
  if (inFlight === 0 || maxMs <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      waiters.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, maxMs);
    waiters.add(wake);
  });
}
