/**
 * Row IDs are `integer` columns: at most 2^31 − 1 on PostgreSQL, which fails a comparison with a
 * larger number ("out of range") where SQLite just finds nothing. A number beyond that cannot be
 * an ID: compare with it only when it fits.
 */
import { MAX_ROW_ID } from '../../shared/api.js';

export { MAX_ROW_ID };

export function fitsRowId(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= MAX_ROW_ID;
}
