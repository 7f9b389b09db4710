/**
 * PostgreSQL's look-up. The statement runs in a transaction of its own (its plan settings are
 * local to it). Outside a batch's transaction a caller looks two slices up at once, on two pooled
 * connections, so that the server works on both cores; a run's next batch is looked up on another
 * pooled connection while the current one writes.
 */
import { membershipStates, personStatuses } from '../../../shared/enums.js';
import type { DbOrTrx } from '../../db/db.js';
import type { AheadLookup, AheadRows, InviteLookup, LookupRange, ResolvedRow } from './lookup.js';
import { executeWithNestedLoops, lookupQuery } from './lookup.repository.js';
import { packRows, toResolvedRow } from './row-packing.js';

/** Rows per statement when a range is looked up ahead. */
const slice = 10_000;

async function resolve(db: DbOrTrx, range: LookupRange): Promise<ResolvedRow[]> {
  if (!db.isTransaction) return db.transaction().execute((trx) => resolve(trx, range));
  const rows = await executeWithNestedLoops(db, lookupQuery(db, range));
  // Looked up in key order: back to row order.
  return rows.map((r) => toResolvedRow(r, range.mapping.keyType)).sort((a, b) => a.rowNumber - b.rowNumber);
}

/**
 * A run's next batch, outside its transaction, slice by slice, packed as it comes (typed arrays,
 * as the SQLite thread answers): kept as objects, a batch's rows would wait for the batch before
 * them and be promoted to the old generation.
 */
async function resolvePacked(db: DbOrTrx, range: LookupRange): Promise<AheadRows> {
  const { from, to } = range;
  const packed = packRows(to - from + 1, personStatuses, membershipStates);
  let found = 0;
  for (let a = from; a <= to; a += slice) {
    for (const r of await resolve(db, { ...range, from: a, to: Math.min(to, a + slice - 1) })) {
      packed.put(r.rowNumber - from, r);
      found++;
    }
  }
  if (found !== to - from + 1) throw new Error(`Staged rows ${from}–${to} are missing.`);
  return { rows: { ...packed, first: from }, version: null };
}

export const postgresLookup: InviteLookup = {
  resolve,
  slicesAtOnce: (db) => (db.isTransaction ? 1 : 2),
  // A dry run looks two slices up at once on the pool instead (slicesAtOnce).
  lookUpBeside: async () => null,
  async openAhead(ctx): Promise<AheadLookup> {
    return {
      lookUp: (range) => resolvePacked(ctx.db, range),
      // Under READ COMMITTED a batch's own look-up is already a statement before its writes; this
      // one is earlier by at most one batch, and references are still checked at the write (the
      // README's "Look-ahead" says what that means). A version row every person write would
      // have to update would make those writes queue on it.
      stillHolds: async () => true,
      afterCommit: () => {},
      close: async () => {},
    };
  },
};
