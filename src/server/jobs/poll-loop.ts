/**
 * A loop that calls `tick` again at once while it finds work, and otherwise sleeps `intervalMs`
 * (or until woken). stop() ends the loop after the running tick and waits for it. While the
 * database is unreachable it backs off (up to `outageCapMs`), says so once, and says so again
 * when the database answers.
 */
import type { FastifyBaseLogger } from 'fastify';
import { isDatabaseUnavailable } from '../db/database-unavailable.js';
import { backoffDelay } from './backoff.js';

export interface PollLoop {
  /** ends the loop; resolves once the tick in progress has finished */
  stop(): Promise<void>;
  /** cuts the current sleep short */
  wake(): void;
}

export function startPollLoop(
  name: string,
  tick: () => Promise<boolean>,
  options: { intervalMs: number; log: FastifyBaseLogger; outageCapMs?: number },
): PollLoop {
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  const running = (async () => {
    // failed ticks in a row while the database is unreachable (0: it answers)
    let outage = 0;
    while (!stopped) {
      let found = false;
      let pauseMs = options.intervalMs;
      try {
        found = await tick();
        if (outage > 0) options.log.info({ failedTries: outage }, `${name}: the database answers again; resuming`);
        outage = 0;
      } catch (error) {
        if (isDatabaseUnavailable(error)) {
          // Once per outage: every tick fails the same way until the database is back.
          if (outage === 0) options.log.warn({ reason: errorReason(error) }, `${name}: database unavailable; pausing`);
          outage += 1;
          pauseMs = Math.max(
            options.intervalMs,
            backoffDelay(outage, options.intervalMs, options.outageCapMs ?? 5_000),
          );
        } else {
          // Any other failure must not end the loop either: log it and try again after a pause.
          options.log.error({ err: error }, `${name}: tick failed`);
        }
      }
      if (!found && !stopped) await sleep(pauseMs);
    }
  })();
  return {
    wake: () => wakeUp?.(),
    stop: async () => {
      stopped = true;
      wakeUp?.();
      await running;
    },
  };
}

function errorReason(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return [code, message].filter((part) => typeof part === 'string' && part).join(': ');
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
