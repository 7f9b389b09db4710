/** Starts the invite look-up thread (lookup-thread.js) and asks it for rows, one range at a time. */
import { Worker } from 'node:worker_threads';
import { membershipStates, personStatuses } from '../../shared/enums.js';
import type { Mapping } from './mapping.js';
import { directoryVersionText, type LookupRequest, type PackedRows, sqliteLookupText } from './invite-lookup.js';

export interface LookedUpRange {
  readonly rows: PackedRows;
  /** the directory version of the snapshot the rows were looked up in */
  readonly version: number;
}

/**
 * The thread's own V8 heap is capped: it holds one range's packed answers (a few MB) and each
 * 10,000-row slice while it packs it. Without a cap its heap grew like the main one's, by
 * garbage (about 25 MB of the million-row job's peak RSS). A thread over the cap stops with
 * ERR_WORKER_OUT_OF_MEMORY, and its owner looks the rows up on the main thread.
 */
const lookupThreadLimits = { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 };

type Answer = { id: number; rows: PackedRows; version: number } | { id: number; checkpointed: number } | { id: number; error: string };

export class LookupThread {
  private readonly worker: Worker;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each request knows its answer's type
  private readonly waiting = new Map<number, { resolve: (r: any) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(file: string) {
    // execArgv [] : plain JavaScript, no loader, whatever the parent was started with.
    this.worker = new Worker(new URL('./lookup-thread.js', import.meta.url), {
      workerData: { file, versionSql: directoryVersionText, personStatuses, membershipStates }, execArgv: [], resourceLimits: lookupThreadLimits,
    });
    this.worker.on('message', (answer: Answer) => {
      const w = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      if ('error' in answer) w?.reject(new Error(`The look-up thread failed: ${answer.error}`));
      else if ('checkpointed' in answer) w?.resolve(answer.checkpointed);
      else w?.resolve({ rows: answer.rows, version: answer.version });
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`The look-up thread stopped (exit code ${code}).`)));
    // Not unref'ed: a request waiting for its answer must keep the process alive. Owners close it.
  }

  /** Looks rows from..to up on the thread (answers are in request order). */
  lookUp(request: { dataJobId: number; mapping: Mapping; from: number; to: number; withStates: boolean }): Promise<LookedUpRange> {
    return this.ask({ dataJobId: request.dataJobId, keyType: request.mapping.keyType, sql: sqliteLookupText(request.mapping, request.withStates), from: request.from, to: request.to } satisfies Omit<LookupRequest, 'id'>);
  }

  /** Checkpoints the WAL (PASSIVE: never waits for the writer); answers the frames copied. */
  checkpoint(): Promise<number> {
    return this.ask({ checkpoint: true });
  }

  private ask<T>(message: object): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  /** Ends the thread after the request it is answering (requests still waiting are refused). */
  async close(): Promise<void> {
    if (this.failure) return;
    this.fail(new Error('The look-up thread was closed.'));
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('close');
    const timer = setTimeout(() => void this.worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
  }
}
