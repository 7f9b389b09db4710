/**
 * Started while the database is down, a process waits for it instead of exiting: one line says
 * so, then it tries again with backoff (capped), and goes on as soon as the database answers.
 */
import type { Logger } from 'pino';
import { backoffDelay } from '../jobs/backoff.js';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { type DbHandle, pingDatabase } from './db.js';

export interface WaitForDatabaseOptions {
  readonly firstDelayMs?: number;
  /** the longest pause between tries */
  readonly capMs?: number;
  /** ends the wait (the process is stopping) */
  readonly signal?: AbortSignal;
}

/** Resolves once the database answers; any error that is not "unreachable" is thrown at once. */
export async function waitForDatabase(
  handle: DbHandle,
  log: Logger,
  options: WaitForDatabaseOptions = {},
): Promise<void> {
  const capMs = options.capMs ?? 30_000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await pingDatabase(handle.db);
      if (attempt > 1) log.info({ database: handle.where, tries: attempt }, 'the database answers; starting');
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (attempt === 1) {
        const { code } = error as { code?: unknown };
        log.warn(
          { database: handle.where, code },
          `the database is not reachable yet; waiting for it (retrying with backoff, at most ${Math.round(capMs / 1000)} s apart)`,
        );
      }
    }
    options.signal?.throwIfAborted();
    const pauseMs = backoffDelay(attempt, options.firstDelayMs ?? 500, capMs);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pauseMs);
      options.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    options.signal?.throwIfAborted();
  }
}
