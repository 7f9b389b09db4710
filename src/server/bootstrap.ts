/** Builds the AppContext for a process: config → database (migrated) → logger. */
import { pino } from 'pino';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { createDb, type DbHandle } from './db/db.js';
import { migrateToLatest } from './db/migrate.js';
import { type WaitForDatabaseOptions, waitForDatabase } from './db/wait-for-database.js';
import { loggerOptions } from './http/log.js';

export interface Runtime {
  readonly ctx: AppContext;
  readonly handle: DbHandle;
  close(): Promise<void>;
}

export async function createRuntime(
  config: Config,
  options: { migrate?: boolean; clock?: Clock; waitForDatabase?: WaitForDatabaseOptions } = {},
): Promise<Runtime> {
  const handle = createDb(config.databaseUrl, { sqliteBusyTimeoutMs: config.sqliteBusyTimeoutMs });
  const logOptions = loggerOptions(config);
  const log = pino(typeof logOptions === 'object' ? logOptions : {});
  try {
    await waitForDatabase(handle, log, options.waitForDatabase);
  } catch (error) {
    await handle.close();
    throw error;
  }
  if (options.migrate ?? true) await migrateToLatest(handle.db);
  const ctx: AppContext = { config, db: handle.db, dialect: handle.dialect, clock: options.clock ?? systemClock, log };
  return { ctx, handle, close: () => handle.close() };
}
