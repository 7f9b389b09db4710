/** Placeholder until the job runner lands: returns a stop function. */
import type { AppContext } from '../context.js';

export async function startWorker(_ctx: AppContext): Promise<() => Promise<void>> {
  return async () => {};
}
