// The invite job's row checks and packed form, in plain JavaScript so that the look-up thread
// (lookup-thread.js) loads it without the TypeScript loader (which would add its memory to each
// thread). Types: row-packing.d.ts. The TypeScript side uses these same functions.

/** Integer IDs as people type them: digits only, at most 15 (safe integers). */
export function parseId(text) {
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}

/** A person key of the mapping's key type, or null when it is not a valid one. */
export function parseKey(raw, keyType) {
  if (keyType !== 'unique_id') return parseId(raw);
  return raw && raw.length <= 200 ? raw : null;
}

/** The JavaScript checks of each raw value stay the judge of what is valid. */
export function toResolvedRow(r, keyType) {
  const communityId = parseId((r.c_raw ?? '').trim());
  const key = parseKey((r.k_raw ?? '').trim(), keyType);
  return {
    rowNumber: r.rn,
    communityId,
    communityExists: communityId !== null && r.cid === communityId,
    keyValid: key !== null,
    person: key !== null && r.pid !== null && r.pstatus !== null ? { id: r.pid, status: r.pstatus } : null,
    state: r.mstate,
  };
}

/**
 * Room for `capacity` resolved rows as typed arrays, row i at index i (its row number is the range's
 * first plus i, so none is stored); statuses and states are coded by their index in the given lists.
 */
export function packRows(capacity, personStatuses, membershipStates) {
  const p = {
    count: capacity,
    communityIds: new Float64Array(capacity),
    flags: new Uint8Array(capacity),
    personIds: new Float64Array(capacity),
    statuses: new Uint8Array(capacity),
    states: new Uint8Array(capacity),
  };
  return {
    ...p,
    put(i, r) {
      p.communityIds[i] = r.communityId ?? Number.NaN;
      p.flags[i] = (r.communityExists ? 1 : 0) | (r.keyValid ? 2 : 0);
      p.personIds[i] = r.person?.id ?? Number.NaN;
      p.statuses[i] = r.person ? personStatuses.indexOf(r.person.status) : 0;
      p.states[i] = r.state === null ? 0 : membershipStates.indexOf(r.state) + 1;
    },
    buffers: () => [p.communityIds, p.flags, p.personIds, p.statuses, p.states].map((a) => a.buffer),
  };
}
