/**
 * A loop that calls `tick` again at once while it finds work, and otherwise sleeps `intervalMs`
 * (or until woken). stop() ends the loop after the running tick and waits for it.
 */
import type { FastifyBaseLogger } from 'fastify';

export interface PollLoop {
  /** ends the loop; resolves once the tick in progress has finished */
  stop(): Promise<void>;
  /** cuts the current sleep short */
  wake(): void;
}

export function startPollLoop(
  name: string,
  tick: () => Promise<boolean>,
  options: { intervalMs: number; log: FastifyBaseLogger },
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
    while (!stopped) {
      let found = false;
      try {
        found = await tick();
      } catch (error) {
        // A database hiccup must not end the loop: log it and try again after a pause.
        options.log.error({ err: error }, `${name}: tick failed`);
      }
      if (!found && !stopped) await sleep(options.intervalMs);
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

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
