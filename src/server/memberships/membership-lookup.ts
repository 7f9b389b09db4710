/**
 * The membership parts of Data Tools' raw look-up statements, as SQL text: they run without
 * Kysely (the SQLite look-up runs on a thread), so this file imports nothing. The references
 * are the caller's own trusted column names, never input.
 */

/**
 * The membership state of (person, community) in a raw look-up statement, as SQL text (the
 * look-up thread runs it without Kysely): a subquery by the whole primary key (as a join,
 * PostgreSQL's planner probed by person alone and filtered the community after the fetch).
 */
export function membershipStateSubquery(personRef: string, communityRef: string): string {
  return `(SELECT m.state FROM membership m WHERE m.person_id = ${personRef} AND m.community_id = ${communityRef})`;
}

/** The same on SQLite, as a join (its nested loop probes the primary key per row either way); select `${alias}.state`. */
export function membershipStateJoin(alias: string, personRef: string, communityRef: string): string {
  return `LEFT JOIN membership ${alias} ON ${alias}.community_id = ${communityRef} AND ${alias}.person_id = ${personRef}`;
}
