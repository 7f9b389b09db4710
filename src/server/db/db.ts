/** createDb(url) → a Kysely instance over better-sqlite3 (embedded default) or pg. */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { ReadWriteSqliteDialect, type ReadWriteSqliteDriver, type SqliteHandle } from './sqlite-driver.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** A repository function takes either the database or an open transaction. */
export type DbOrTrx = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';

// int8 (bigint: timestamps, counts) and numeric come back as numbers: every value we keep fits
// in 2^53, and both dialects then read the same.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface DbHandle {
  readonly db: Db;
  readonly dialect: Dialect;
  /** the file path (SQLite) or the URL without password (PostgreSQL), for logs */
  readonly where: string;
  close(): Promise<void>;
}

/** Parses DATABASE_URL: `sqlite:./data/convene.db`, `sqlite::memory:`, or `postgres://…`. */
export function dialectOfUrl(url: string): Dialect {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  if (url.startsWith('sqlite:')) return 'sqlite';
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:")`);
}

export function sqlitePathOfUrl(url: string): string {
  return url.slice('sqlite:'.length).replace(/^\/\//, '');
}

export function createDb(
  url: string,
  options: { poolSize?: number; connectTimeoutMs?: number; sqliteBusyTimeoutMs?: number } = {},
): DbHandle {
  const dialect = dialectOfUrl(url);
  if (dialect === 'sqlite') {
    const file = sqlitePathOfUrl(url);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    const busyTimeoutMs = Math.max(0, Math.floor(options.sqliteBusyTimeoutMs ?? 5_000));
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // 32 MB of page cache per process: the operating system caches the file as well, so a larger
    // cache makes a large data job no faster and only raises the process's peak memory.
    sqlite.pragma('cache_size = -32768');
    // A second connection for reads outside transactions (sqlite-driver.ts): a page reads the last
    // committed state while a data job's batch holds the writer. An in-memory database has none.
    let reader: SqliteDatabase.Database | null = null;
    if (file !== ':memory:' && file !== '') {
      reader = new SqliteDatabase(file);
      reader.pragma(`busy_timeout = ${busyTimeoutMs}`);
      reader.pragma('cache_size = -16384');
      reader.pragma('query_only = ON');
    }
    const dialect$ = new ReadWriteSqliteDialect(keepingTheCause(sqlite), reader);
    const db = new Kysely<Database>({ dialect: dialect$ });
    sqliteDrivers.set(db, dialect$.driver);
    return { db, dialect, where: file, close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Without a limit, a request waits forever for a connection while PostgreSQL is unreachable;
    // with one it fails fast and is answered 503 (isDatabaseUnavailable).
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  // A restart or failover ends every connection with an 'error' event. pg-pool listens on idle
  // clients only and drops its listener while a client is checked out, and an 'error' nobody
  // listens to ends the process: so every client gets its own listener for its whole life. The
  // query in flight fails on its own (and is answered 503); the broken client leaves the pool.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  // Time spent waiting for a connection, for /metrics (Kysely asks with the promise form only).
  let acquired = 0;
  let waitSeconds = 0;
  const connect = pool.connect.bind(pool);
  pool.connect = (async () => {
    const started = performance.now();
    try {
      return await connect();
    } finally {
      acquired += 1;
      waitSeconds += (performance.now() - started) / 1000;
    }
  }) as typeof pool.connect;
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const max = options.poolSize ?? 10;
  pools.set(db, () => ({
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max,
    acquired,
    waitSeconds,
  }));
  const safe = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return { db, dialect, where: safe, close: () => db.destroy() };
}

/** A PostgreSQL pool's use, for /metrics: connections open, idle, callers waiting, time spent waiting. */
export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
  readonly max: number;
  /** connections handed out so far, and the seconds callers waited for them in all */
  readonly acquired: number;
  readonly waitSeconds: number;
}

const pools = new WeakMap<Db, () => PoolStats>();
const sqliteDrivers = new WeakMap<Db, ReadWriteSqliteDriver>();

/** SQLite: callers waiting for the one writer connection (undefined on PostgreSQL). */
export function sqliteWriterQueueOf(db: Db): number | undefined {
  return sqliteDrivers.get(db)?.writerQueue;
}

/** The pool behind `db`, or undefined on SQLite (one connection, no pool). */
export function poolStatsOf(db: Db): PoolStats | undefined {
  return pools.get(db)?.();
}

const noRollback = {
  reader: false,
  all: () => [],
  run: () => ({ changes: 0, lastInsertRowid: 0 }),
  iterate: () => [][Symbol.iterator](),
} as const;

/**
 * Some SQLite errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM) roll the transaction back by
 * themselves; Kysely's ROLLBACK that follows would then fail with "cannot rollback - no
 * transaction is active" and replace the error that says what happened. So a ROLLBACK outside a
 * transaction does nothing, and the first error is the one reported.
 */
function keepingTheCause(sqlite: SqliteDatabase.Database): SqliteHandle {
  return {
    close: () => sqlite.close(),
    prepare: (source: string) =>
      /^\s*rollback\s*$/i.test(source) && !sqlite.inTransaction ? noRollback : sqlite.prepare(source),
  };
}

/** Which dialect a database or transaction speaks, for the few queries that must differ. */
export function isPostgres(db: DbOrTrx): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Resolves when the database answers a trivial query (the readiness check). */
export async function pingDatabase(db: DbOrTrx): Promise<void> {
  await sql`select 1`.execute(db);
}

/** SQLite: turns foreign key checks on or off for this connection (only outside a transaction). */
export async function setSqliteForeignKeys(db: DbOrTrx, on: boolean): Promise<void> {
  await (on ? sql`PRAGMA foreign_keys = ON` : sql`PRAGMA foreign_keys = OFF`).execute(db);
}

/** SQLite: the WAL size in pages at which a commit checkpoints on this connection (0: never). */
export async function setSqliteWalAutocheckpoint(db: DbOrTrx, pages: number): Promise<void> {
  await sql`PRAGMA wal_autocheckpoint = ${sql.lit(Math.trunc(pages))}`.execute(db);
}
