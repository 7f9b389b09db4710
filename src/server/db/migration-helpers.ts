/** Small helpers so that one migration file serves both dialects. */
import { type CreateTableBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Migrations see the database untyped on purpose: they describe the schema, the types follow.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

export function pgOf(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An integer primary key that is never reused: AUTOINCREMENT on SQLite, SERIAL on PostgreSQL. */
export function withId<T extends string>(db: AnyDb, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return pgOf(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
