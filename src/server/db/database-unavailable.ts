/**
 * Which errors mean "the database cannot be reached right now" rather than "this query is wrong":
 * they are answered 503 with Retry-After, make /readyz not ready, and pause the worker's loops.
 */

/** Socket errors from connecting to or talking with PostgreSQL. */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now (starting up or
 * shutting down), too_many_connections; class 08 is connection_exception.
 */
const postgresCodes = new Set(['57P01', '57P02', '57P03', '53300']);

/** What node-postgres and pg-pool throw without a code when the connection is gone or never came. */
const driverMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
];

/** SQLite: another process held the write lock for longer than busy_timeout. */
const sqliteCodes = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT']);

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** True when `error` (or an error it wraps, up to a few levels) says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = codeOf(current);
    if (code && (networkCodes.has(code) || postgresCodes.has(code) || code.startsWith('08') || sqliteCodes.has(code)))
      return true;
    // node's connect() to several addresses (localhost → ::1 and 127.0.0.1) fails with all of them
    const inner = (current as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.some((e) => isDatabaseUnavailable(e))) return true;
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && driverMessages.some((m) => m.test(message))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Seconds a client is asked to wait (Retry-After) before trying again while the database is away. */
export const databaseRetryAfterSeconds = 5;
