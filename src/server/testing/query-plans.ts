/**
 * Query plans of the real code: `recordQueries` runs a repository or service function on a
 * database that remembers every statement it sends, and `explainQuery` asks the database how it
 * would run one of them — so a test checks the query the product sends, not a copy of it.
 */
import {
  CompiledQuery,
  type Kysely,
  type KyselyPlugin,
  PostgresAdapter,
  type QueryId,
  type RootOperationNode,
  sql,
} from 'kysely';

export interface RecordedQuery {
  readonly node: RootOperationNode;
  readonly queryId: QueryId;
}

/** Runs `work` on `db` and returns the statements it sent, in order. */
export async function recordQueries<D>(
  db: Kysely<D>,
  work: (db: Kysely<D>) => Promise<unknown>,
): Promise<RecordedQuery[]> {
  const recorded: RecordedQuery[] = [];
  const recorder: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      recorded.push({ node, queryId });
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  await work(db.withPlugin(recorder));
  return recorded;
}

/** One way a plan reads a table: through an index (with the condition it seeks by), or a scan. */
export interface TableAccess {
  /** the index, or null for a scan of the whole table */
  readonly index: string | null;
  /** the columns the index seeks by ('' when it reads the whole index) */
  readonly seek: string;
}

/**
 * How the plan of `query` reads `table`: one entry per access. On PostgreSQL sequential scans are
 * switched off for the question (SET LOCAL in a transaction that only explains), so that a small
 * test table answers whether an index can serve the query, not whether a scan would be cheaper.
 */
export async function explainQuery<D>(
  db: Kysely<D>,
  query: RecordedQuery,
  table: string,
): Promise<{ plan: string; access: TableAccess[] }> {
  const compiled = db.getExecutor().compileQuery(query.node, query.queryId);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      // FORMAT JSON answers one row holding [{ "Plan": … }].
      const r = await trx.executeQuery<{ 'QUERY PLAN': { Plan: PgPlanNode }[] }>(
        CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]),
      );
      const root = r.rows[0]['QUERY PLAN'][0].Plan;
      return { plan: JSON.stringify(root, null, 1), access: pgAccess(root, table) };
    });
  }
  const r = await db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]),
  );
  const lines = r.rows.map((x) => x.detail);
  const aliases = sqliteAliases(compiled.sql, table);
  return { plan: lines.join('\n'), access: lines.flatMap((line) => sqliteAccess(line, aliases)) };
}

/** The SQL text of a recorded statement (to pick statements, and for a failing assertion's message). */
export function sqlOf<D>(db: Kysely<D>, query: RecordedQuery): string {
  return db.getExecutor().compileQuery(query.node, query.queryId).sql;
}

interface PgPlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly 'Index Cond'?: string;
  readonly Plans?: readonly PgPlanNode[];
}

function pgAccess(node: PgPlanNode, table: string, under?: string): TableAccess[] {
  const own: TableAccess[] = [];
  if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === table) own.push({ index: null, seek: '' });
  // An index scan names its table; a bitmap index scan does not (its heap scan, the parent, does).
  const onTable = node['Relation Name'] === table || (node['Node Type'] === 'Bitmap Index Scan' && under === table);
  if (node['Index Name'] && onTable) own.push({ index: node['Index Name'], seek: pgSeekColumns(node['Index Cond']) });
  const children = (node.Plans ?? []).flatMap((child) => pgAccess(child, table, node['Relation Name'] ?? under));
  return [...own, ...children];
}

function pgSeekColumns(cond: string | undefined): string {
  if (!cond) return '';
  return [...cond.matchAll(/\b(?:\w+\.)?(\w+) = /g)].map((m) => m[1]).join(',');
}

/** The names the statement gives `table` (itself, and any `table as x`). */
function sqliteAliases(text: string, table: string): Set<string> {
  const aliases = new Set([table]);
  for (const m of text.matchAll(new RegExp(`"${table}"\\s+as\\s+"(\\w+)"`, 'gi'))) aliases.add(m[1]);
  return aliases;
}

/**
 * A line such as `SEARCH m USING INDEX name (person_id=? AND state=?)`, `SCAN m`,
 * `SEARCH c USING INTEGER PRIMARY KEY (rowid=?)` or, for a `WITHOUT ROWID` table's key,
 * `SEARCH f USING PRIMARY KEY (scope_kind=?)` (its index is then named 'primary key').
 */
function sqliteAccess(line: string, aliases: Set<string>): TableAccess[] {
  const m =
    /^(SEARCH|SCAN) (\w+)(?: USING (?:(?:COVERING |PRIMARY KEY )?INDEX (\w+)|(INTEGER PRIMARY KEY)|(PRIMARY KEY)))?(?: \((.*)\))?/.exec(
      line,
    );
  if (!m || !aliases.has(m[2])) return [];
  const index = m[3] ?? (m[4] ? 'rowid' : m[5] ? 'primary key' : null);
  const seek = m[1] === 'SEARCH' && m[6] ? [...m[6].matchAll(/(\w+)[=<>]/g)].map((x) => x[1]).join(',') : '';
  return [{ index, seek }];
}
