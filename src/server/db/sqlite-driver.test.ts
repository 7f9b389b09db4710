/**
 * The SQLite driver's two connections (sqlite-driver.ts), on a real database file: a read outside
 * a transaction is answered while another transaction holds the writer, and sees the last commit;
 * writes wait for the writer and run in the order they asked; a `db.connection()` sequence keeps
 * the writer from its first write to its end. SQLite only: PostgreSQL has a pool of its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/wait-for.js';
import { createDb, type DbHandle, sqliteWriterQueueOf } from './db.js';

describe('SQLite: one writer, one reader', () => {
  let dir: string;
  let handle: DbHandle;
  const count = async () =>
    Number((await sql<{ n: number }>`select count(*) as n from t`.execute(handle.db)).rows[0].n);
  const values = async () =>
    (await sql<{ v: number }>`select v from t order by rowid`.execute(handle.db)).rows.map((r) => r.v);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-driver-'));
    handle = createDb(`sqlite:${path.join(dir, 'x.db')}`);
    await sql`create table t (v integer not null)`.execute(handle.db);
    await sql`insert into t (v) values (1)`.execute(handle.db);
  });
  afterEach(async () => {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A transaction that writes `v`, then holds the writer until `release` is called. */
  function holdingTransaction(v: number) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    let done = false;
    const finished = handle.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into t (v) values (${v})`.execute(trx);
        wrote();
        await gate;
      })
      .then(() => {
        done = true;
      });
    return { release, written, finished, isDone: () => done };
  }

  it('takes the write lock when a transaction begins, so another process waits instead of failing mid-transaction', async () => {
    // Another process's connection (a worker, a one-off command) that does not wait at all.
    const other = new Database(path.join(dir, 'x.db'), { timeout: 0 });
    try {
      await handle.db.transaction().execute(async (trx) => {
        // Only a read so far: a deferred transaction would hold no write lock yet, and its later
        // write would fail at once with SQLITE_BUSY if another process wrote meanwhile.
        expect(Number((await sql<{ n: number }>`select count(*) as n from t`.execute(trx)).rows[0].n)).toBe(1);
        expect(() => other.exec('begin immediate')).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
        await sql`insert into t (v) values (2)`.execute(trx);
      });
      other.exec('begin immediate');
      other.exec('insert into t (v) values (3)');
      other.exec('commit');
    } finally {
      other.close();
    }
    expect(await values()).toEqual([1, 2, 3]);
  });

  it('answers a read while a transaction holds the writer, with the last committed state', async () => {
    const tx = holdingTransaction(2);
    await tx.written;
    expect(await count()).toBe(1);
    expect(tx.isDone()).toBe(false);
    tx.release();
    await tx.finished;
    expect(await count()).toBe(2);
  });

  it('has writes outside a transaction wait for the writer, and run in the order they asked', async () => {
    const tx = holdingTransaction(2);
    await tx.written;
    const order: number[] = [];
    const writes = [3, 4, 5].map((v) =>
      sql`insert into t (v) values (${v})`.execute(handle.db).then(() => order.push(v)),
    );
    // Each write is queued behind the writer; none has run.
    await waitFor(() => sqliteWriterQueueOf(handle.db) === 3, { what: 'three writes queued for the writer' });
    expect(order).toEqual([]);
    expect(await values()).toEqual([1]);
    tx.release();
    await Promise.all([tx.finished, ...writes]);
    expect(order).toEqual([3, 4, 5]);
    expect(await values()).toEqual([1, 2, 3, 4, 5]);
    expect(sqliteWriterQueueOf(handle.db)).toBe(0);
  });

  it('keeps the writer for a db.connection() sequence from its first write to its end', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const began = new Promise<void>((resolve) => (started = resolve));
    const sequence = handle.db.connection().execute(async (conn) => {
      await sql`PRAGMA foreign_keys = OFF`.execute(conn);
      started();
      await gate;
      await sql`insert into t (v) values (2)`.execute(conn);
      await sql`PRAGMA foreign_keys = ON`.execute(conn);
    });
    await began;
    const other = sql`insert into t (v) values (3)`.execute(handle.db);
    await waitFor(() => sqliteWriterQueueOf(handle.db) === 1, { what: 'the other write queued for the writer' });
    release();
    await Promise.all([sequence, other]);
    expect(await values()).toEqual([1, 2, 3]);
  });

  it('reads its own writes inside a transaction, and rolls them back whole', async () => {
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await sql`insert into t (v) values (2)`.execute(trx);
        expect(Number((await sql<{ n: number }>`select count(*) as n from t`.execute(trx)).rows[0].n)).toBe(2);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await count()).toBe(1);
  });
});
