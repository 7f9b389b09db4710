/** Running a transaction again when a parallel one got in the way (both dialects). */

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A unique or primary-key violation: PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY. */
export function isUniqueViolation(error: unknown): boolean {
  const code = errorCode(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A deadlock or serialization failure (PostgreSQL), or a busy database (SQLite): safe to run again. */
export function isTransient(error: unknown): boolean {
  const code = errorCode(error);
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY';
}

/**
 * Runs `work` (one whole transaction) up to `attempts` times while it fails with a transient error
 * or a unique violation from a parallel writer; the last error is thrown.
 */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (error) {
      if (i >= attempts || !(isTransient(error) || isUniqueViolation(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * i + Math.random() * 10));
    }
  }
}
