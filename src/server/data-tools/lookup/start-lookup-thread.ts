/**
 * Starts the invite look-up thread (lookup-thread.js) and asks it for rows, one range at a time,
 * or for WAL checkpoints; and, on SQLite, takes checkpoints off the process's connection while a
 * run or a large upload has one.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AppContext } from '../../context.js';
import { setSqliteWalAutocheckpoint, sqlitePathOfUrl, type DbOrTrx } from '../../db/db.js';
import { type KeyType, membershipStates, personStatuses } from '../../../shared/enums.js';
import { directoryVersionText } from './lookup.repository.js';
import type { PackedRows } from './lookup.js';

/** What the look-up thread is asked: rows from..to of a job, by a statement it prepares once. */
export interface LookupRequest {
  readonly dataJobId: number;
  readonly keyType: KeyType;
  /** lookupStatementText(…): parameters job id, first row, last row */
  readonly sql: string;
  readonly from: number;
  readonly to: number;
}

export interface LookedUpRange {
  readonly rows: PackedRows;
  /** the directory version of the snapshot the rows were looked up in */
  readonly version: number;
}

/**
 * The thread's own V8 heap is capped: it holds one range's packed answers (a few MB) and each
 * 10,000-row slice while it packs it. Without a cap its heap grew like the main one's, by
 * garbage that counted in the job's peak RSS. A thread over the cap stops with
 * ERR_WORKER_OUT_OF_MEMORY, and its owner looks the rows up on the main thread.
 */
const lookupThreadLimits = { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 };

type Answer =
  | { id: number; rows: PackedRows; version: number }
  | { id: number; checkpointed: number }
  | { id: number; error: string };

export class LookupThread {
  private readonly worker: Worker;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each request knows its answer's type
  private readonly waiting = new Map<number, { resolve: (r: any) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(file: string) {
    // execArgv [] : plain JavaScript, no loader, whatever the parent was started with.
    this.worker = new Worker(new URL('./lookup-thread.js', import.meta.url), {
      workerData: { file, versionSql: directoryVersionText, personStatuses, membershipStates },
      execArgv: [],
      resourceLimits: lookupThreadLimits,
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
  lookUp(request: LookupRequest): Promise<LookedUpRange> {
    return this.ask(request);
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

/** The SQLite database file a look-up thread may open, or null (PostgreSQL, in-memory databases). */
export function sqliteFileOf(ctx: AppContext): string | null {
  if (ctx.dialect !== 'sqlite') return null;
  const file = sqlitePathOfUrl(ctx.config.databaseUrl);
  return file === ':memory:' || file === '' ? null : path.resolve(file);
}

/**
 * SQLite checkpoints the WAL inside the COMMIT that crosses 1,000 pages, on the committing
 * connection: during a run that is the writer's thread, once per batch (every batch touches most
 * membership index pages), and during an upload every tenth staged batch or so. While a look-up
 * thread runs, the process's connection leaves checkpoints to it (after each commit, PASSIVE: it
 * never blocks the writer). Counted, so that the setting comes back only when the last holder in
 * the process lets go; a killed process loses it with its connection.
 */
export const walCheckpoints = {
  holders: 0,
  async hold(db: DbOrTrx): Promise<void> {
    if (this.holders++ === 0) await setSqliteWalAutocheckpoint(db, 0);
  },
  async release(db: DbOrTrx): Promise<void> {
    if (--this.holders === 0) await setSqliteWalAutocheckpoint(db, 1000);
  },
};

/** Checkpoints on a thread of their own for as long as it is open (see openCheckpointer). */
export interface Checkpointer {
  /** a transaction committed: checkpoint (at most one checkpoint runs at a time) */
  committed(): void;
  /** WAL frames the thread has copied back so far */
  readonly copied: number;
  close(): Promise<void>;
}

/**
 * SQLite with a file: WAL checkpoints leave the process's connection for a look-up thread until
 * close (a large upload: its staged batches would otherwise copy the WAL back on the request's
 * own thread, inside its commits). Null where there is no file.
 */
export async function openCheckpointer(ctx: AppContext): Promise<Checkpointer | null> {
  const file = sqliteFileOf(ctx);
  if (!file) return null;
  const thread = new LookupThread(file);
  await walCheckpoints.hold(ctx.db);
  let running: Promise<void> | null = null;
  let copied = 0;
  let failed = false;
  return {
    committed() {
      if (failed) return;
      running ??= thread
        .checkpoint()
        .then(
          (n) => {
            copied += n;
          },
          (error: unknown) => {
            // The WAL then grows until close, where the connection's own checkpoints come back.
            failed = true;
            ctx.log.warn(
              { err: error },
              'WAL checkpoints on the look-up thread failed; they wait for the upload to end',
            );
          },
        )
        .finally(() => {
          running = null;
        });
    },
    get copied() {
      return copied;
    },
    async close() {
      try {
        await running;
        await thread.close();
      } finally {
        await walCheckpoints.release(ctx.db);
      }
    },
  };
}
