/** Starts the dry run's second thread (dry-run-thread.ts) and answers what it looked up. */
import { Worker } from 'node:worker_threads';
import type { DryRunThreadInput } from './dry-run-thread.js';
import type { PackedRows } from './invite-lookup.js';

export function lookUpInThread(input: DryRunThreadInput): Promise<PackedRows> {
  return new Promise((resolve, reject) => {
    // execArgv [] : the entry registers its own loader, whatever the parent was started with.
    const worker = new Worker(new URL('./dry-run-thread.js', import.meta.url), { workerData: input, execArgv: [] });
    let answered = false;
    worker.once('message', (packed: PackedRows) => { answered = true; resolve(packed); });
    worker.once('error', reject);
    worker.once('exit', (code) => { if (!answered) reject(new Error(`The dry run's look-up thread stopped (exit code ${code}) before answering.`)); });
  });
}
