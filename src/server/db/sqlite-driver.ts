/**
 * SQLite with one writer connection and one reader connection (WAL lets a reader read the last
 * committed state while the writer holds a transaction open).
 *
 * Kysely's own SQLite driver has one connection behind a mutex: a page's read waits until the
 * transaction holding it has committed, and a data job's batch holds it for the whole batch, so
 * every page waited behind batch after batch (and the mutex wakes its waiters in no fixed order,
 * so some waited for most of the job). Here a lease takes the writer only when it needs it: a
 * transaction, a statement that writes, a PRAGMA, or a streamed query. A single read outside a
 * transaction runs on the reader at once. A lease that has taken the writer keeps it until it is
 * released (`db.connection()` sequences such as "foreign keys off, transaction, foreign keys on"
 * stay on one connection, with nothing else in between).
 *
 * An in-memory database has no second connection that could see it: there every statement goes
 * to the writer, as before.
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  SqliteDialect,
  type SqliteDialectConfig,
  type TransactionSettings,
} from 'kysely';

/** The part of a better-sqlite3 statement the driver uses. */
export interface SqliteStatement {
  readonly reader: boolean;
  /** true when the statement cannot write (better-sqlite3's sqlite3_stmt_readonly) */
  readonly readonly?: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(parameters: readonly unknown[]): IterableIterator<unknown>;
}

/** What the driver needs of a better-sqlite3 connection (db.ts wraps the writer's prepare). */
export interface SqliteHandle {
  prepare(source: string): SqliteStatement;
  close(): void;
}

/** A first-come, first-served lock: waiters get the writer in the order they asked for it. */
class FairLock {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  unlock(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }

  get queued(): number {
    return this.waiting.length;
  }
}

const readSql = /^\s*(select|with)\b/i;

function run(handle: SqliteHandle, query: CompiledQuery): QueryResult<unknown> {
  const stmt = handle.prepare(query.sql);
  if (stmt.reader) return { rows: stmt.all(query.parameters) as unknown[] };
  const { changes, lastInsertRowid } = stmt.run(query.parameters);
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}

class Lease implements DatabaseConnection {
  private holding = false;

  constructor(
    private readonly writer: SqliteHandle,
    private readonly reader: SqliteHandle | null,
    private readonly lock: FairLock,
  ) {}

  async holdWriter(): Promise<void> {
    if (this.holding) return;
    await this.lock.lock();
    this.holding = true;
  }

  release(): void {
    if (!this.holding) return;
    this.holding = false;
    this.lock.unlock();
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.holding && this.reader && readSql.test(query.sql)) {
      const stmt = this.reader.prepare(query.sql);
      // A SELECT that writes (a function with side effects) or an INSERT … RETURNING inside a WITH
      // goes to the writer.
      if (stmt.reader && stmt.readonly) return { rows: stmt.all(query.parameters) as R[] };
    }
    await this.holdWriter();
    return run(this.writer, query) as QueryResult<R>;
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    // An open iterator keeps its connection busy until it ends: streams use the writer, as before.
    await this.holdWriter();
    const stmt = this.writer.prepare(query.sql);
    if (!stmt.reader) throw new Error('SQLite streams only statements that return rows');
    for (const row of stmt.iterate(query.parameters)) yield { rows: [row as R] };
  }
}

export class ReadWriteSqliteDriver implements Driver {
  private readonly lock = new FairLock();

  constructor(
    private readonly writer: SqliteHandle,
    private readonly reader: SqliteHandle | null,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Lease(this.writer, this.reader, this.lock);
  }

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    await (connection as Lease).holdWriter();
    // IMMEDIATE: the write lock is taken (waiting up to the busy timeout) when the transaction
    // begins. A deferred transaction that reads first and then writes while another process (a
    // worker, a one-off command) holds the lock fails at once with SQLITE_BUSY: SQLite does not
    // wait in the middle of a read transaction, since waiting there could deadlock.
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await savepointCommand(connection, `savepoint`, name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await savepointCommand(connection, `rollback to`, name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await savepointCommand(connection, `release`, name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as Lease).release();
  }

  async destroy(): Promise<void> {
    this.reader?.close();
    this.writer.close();
  }

  /** leases waiting for the writer (for /metrics) */
  get writerQueue(): number {
    return this.lock.queued;
  }
}

async function savepointCommand(
  connection: DatabaseConnection,
  command: 'savepoint' | 'rollback to' | 'release',
  name: string,
  _compile: QueryCompiler['compileQuery'],
): Promise<void> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad savepoint name "${name}"`);
  await (connection as Lease).holdWriter();
  await connection.executeQuery(CompiledQuery.raw(`${command} ${name}`));
}

/** Kysely's SQLite dialect (its compiler, adapter and introspector) over the driver above. */
export class ReadWriteSqliteDialect extends SqliteDialect {
  readonly driver: ReadWriteSqliteDriver;

  constructor(writer: SqliteHandle, reader: SqliteHandle | null) {
    // The base class wants a database; createDriver below never uses it.
    super({ database: writer as SqliteDialectConfig['database'] });
    this.driver = new ReadWriteSqliteDriver(writer, reader);
  }

  override createDriver(): Driver {
    return this.driver;
  }
}
