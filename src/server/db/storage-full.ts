/**
 * A full disk: the database refuses every write that needs a new page (SQLite's SQLITE_FULL, also
 * what `PRAGMA max_page_count` produces; PostgreSQL's disk_full, 53100). Reads go on working. A
 * write refused this way is answered `storage_full` (507), and `/readyz` says not ready for a
 * while after it, so that a load balancer sends traffic to a process whose writes work.
 */
import type { Db } from './db.js';

const codes = new Set(['SQLITE_FULL', '53100']);

/** True when `error` (or its cause) is the database refusing a write for lack of space. */
export function isStorageFull(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** How long after a refused write `/readyz` keeps saying not ready (each refusal starts it again). */
export const storageFullWindowMs = 30_000;

const lastRefusal = new WeakMap<Db, number>();

export function noteStorageFull(db: Db, at: number): void {
  lastRefusal.set(db, at);
}

/** When the last write was refused for lack of space, if within the window; else undefined. */
export function storageFullSince(db: Db, now: number): number | undefined {
  const at = lastRefusal.get(db);
  return at !== undefined && now - at < storageFullWindowMs ? at : undefined;
}
