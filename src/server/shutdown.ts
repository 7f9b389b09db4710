/**
 * Graceful shutdown of `serve` and `worker` on SIGTERM (and SIGINT). At once: readiness answers
 * 503 `shutting_down`, every answer closes its connection, and the worker stops claiming (the job
 * batch in flight finishes, the rest of the job and unsent emails are handed back for another
 * worker at once). After the drain delay (`SHUTDOWN_DRAIN_MS`; none for SIGINT, a terminal's
 * Ctrl-C) the server stops taking connections and waits for the requests in flight. What is still
 * running `SHUTDOWN_TIMEOUT_MS` later is cut. Then the pool is closed and the process exits 0.
 * A second signal exits at once.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/** Whether the process has been told to stop; readiness reads it. */
export interface Lifecycle {
  readonly shuttingDown: boolean;
  beginShutdown(): void;
}

export function createLifecycle(): Lifecycle {
  let shuttingDown = false;
  return {
    get shuttingDown() {
      return shuttingDown;
    },
    beginShutdown: () => {
      shuttingDown = true;
    },
  };
}

export interface ShutdownParts {
  readonly log: FastifyBaseLogger;
  readonly lifecycle: Lifecycle;
  readonly drainMs: number;
  readonly timeoutMs: number;
  /** the HTTP server (`serve`), listening */
  readonly app?: FastifyInstance;
  /** stops the worker's loops and resolves once the work in progress has finished or been handed back */
  readonly stopWorker?: () => Promise<void>;
  readonly closeDatabase: () => Promise<void>;
}

export type StopSignal = 'SIGTERM' | 'SIGINT';

/** How long closing the pool may take once everything else has stopped (a cut query may hold a connection). */
const closeDatabaseMs = 5_000;

/** Runs the shutdown; resolves `clean` when everything in flight finished, `cut` when the deadline passed first. */
export async function shutDown(parts: ShutdownParts, signal: StopSignal): Promise<'clean' | 'cut'> {
  const { log, app } = parts;
  parts.lifecycle.beginShutdown();
  const drainMs = app && signal === 'SIGTERM' ? parts.drainMs : 0;
  log.info(
    { signal, drainMs, timeoutMs: parts.timeoutMs },
    'shutting down: not ready any more; finishing the work in flight',
  );
  // The worker stops claiming now: a job's handler stops after its current batch.
  const worker = (parts.stopWorker?.() ?? Promise.resolve()).catch((error: unknown) =>
    log.error({ err: error }, 'shutdown: stopping the worker failed'),
  );
  if (drainMs > 0) await delay(drainMs);
  const server = app ? app.close() : Promise.resolve();
  const clean = await Promise.race([
    Promise.all([worker, server]).then(() => true),
    delay(parts.timeoutMs).then(() => false),
  ]);
  if (!clean) {
    log.warn({ timeoutMs: parts.timeoutMs }, 'shutdown: the deadline passed; cutting the requests and work in flight');
    app?.server.closeAllConnections();
  }
  const closed = await Promise.race([
    parts.closeDatabase().then(
      () => true,
      () => false,
    ),
    delay(closeDatabaseMs).then(() => false),
  ]);
  if (!closed) log.warn('shutdown: the database connections did not close cleanly');
  log.info({ clean }, 'shut down');
  return clean ? 'clean' : 'cut';
}

/** Shuts down on SIGTERM or SIGINT, then exits 0; a second signal exits 1 at once. */
export function onStopSignals(parts: ShutdownParts, exit: (code: number) => void = (code) => process.exit(code)): void {
  let stopping = false;
  const handler = (signal: StopSignal) => {
    if (stopping) {
      parts.log.warn({ signal }, 'a second stop signal: exiting now');
      exit(1);
      return;
    }
    stopping = true;
    shutDown(parts, signal).then(
      () => exit(0),
      (error: unknown) => {
        parts.log.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
