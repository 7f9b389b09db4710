/**
 * The requests this process is answering, so that background work in the same process gives way
 * to them. On SQLite a data job's batch runs synchronously (better-sqlite3) and holds the event
 * loop; between batches the job waits until no request is in flight, for at most a multiple of
 * its last batch's time (so that under constant load it still gets a share and finishes).
 */
let inFlight = 0;
let lastStartedAt = Number.NEGATIVE_INFINITY;
const waiters = new Set<() => void>();

export function requestStarted(): void {
  inFlight += 1;
  lastStartedAt = performance.now();
}

/** Whether a request is in flight or one started within the last `ms` milliseconds. */
export function servedWithin(ms: number): boolean {
  return inFlight > 0 || performance.now() - lastStartedAt <= ms;
}

export function requestEnded(): void {
  inFlight = Math.max(0, inFlight - 1);
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
