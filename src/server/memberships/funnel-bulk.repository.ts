/**
 * Set-based funnel counting for SQLite's bulk membership writes (migration
 * 2026-12-03T1855-funnel-bulk-set-based-counting; docs/decisions.md, "Bulk writes count the funnel
 * set-based on SQLite"). SQLite's funnel triggers are row triggers; around a bulk statement the
 * caller names its operation in `funnel_bulk` (that operation's row trigger then does nothing)
 * and adds the statement's counts itself, with one grouped upsert, in the same transaction: the
 * counters end exactly as the row triggers would have left them. A rollback restores the flag
 * with everything else. PostgreSQL's statement triggers already aggregate: there, nothing changes.
 */
import { sql } from 'kysely';
import { isPostgres, type DbOrTrx } from '../db/db.js';

type CallerOp = 'insert' | 'update' | 'delete';

const WEEK = 604_800_000;
/** 1970-01-01 was a Thursday: weeks start on Monday 00:00 UTC (as in the triggers). */
const MONDAY_OFFSET = 259_200_000;
const weekSql = (at: string) => `(${at} - ((${at} + ${MONDAY_OFFSET}) % ${WEEK}))`;

let setBased = true;

/**
 * Whether the bulk paths count set-based (true unless a test asks for the row triggers, the
 * reference the set-based counts are compared with in funnel-bulk.test.ts).
 */
export function setFunnelCountingSetBased(on: boolean): void {
  setBased = on;
}

/**
 * PostgreSQL: whether a bulk update may count its funnel steps in its own statement, with the
 * update trigger skipped (withoutFunnelSteps): true unless a test asks for the triggers.
 */
export function countsFunnelInStatement(db: DbOrTrx): boolean {
  return setBased && isPostgres(db);
}

/**
 * PostgreSQL: the funnel_counter upsert of one step for the rows of `rows` (a statement's
 * RETURNING, with community_id, data_job_id, invited_by), all in the week of `at`: grouped by
 * scopes first, then each group's four scopes, all-time and that week, in this backend's slot
 * (as the statement triggers write).
 */
export function pgStepCountSql(rows: string, step: string, at: number) {
  const week = at - ((at + MONDAY_OFFSET) % WEEK);
  return sql`insert into funnel_counter (scope_kind, scope_id, week, step, slot, n)
    select sc.kind, sc.id, wk.week, ${sql.lit(step)}, pg_backend_pid() % 8 + 1, sum(g.n)
    from (select community_id, data_job_id, invited_by, count(*) as n from ${sql.table(rows)} group by 1, 2, 3) g
    cross join lateral (values ('site', 0::bigint), ('community', g.community_id::bigint),
      ('data_job', g.data_job_id::bigint), ('inviter', g.invited_by::bigint)) sc(kind, id)
    cross join (values (0::bigint), (${sql.lit(week)}::bigint)) wk(week)
    where sc.id is not null
    group by 1, 2, 3 ${onConflict}`;
}

/** Whether a bulk write on `db` counts its funnel steps itself (SQLite) or leaves it to the triggers. */
export function countsFunnelSetBased(db: DbOrTrx): boolean {
  return setBased && !isPostgres(db);
}

/**
 * Runs `write` in a transaction (the caller's, or one of its own) with `op`'s row trigger off,
 * then `count` in the same transaction once the flag is cleared again. On an error the flag is
 * cleared if the transaction still allows it, and the error propagates (rolling the transaction
 * back restores the flag in any case).
 */
export async function withSetBasedFunnel<T>(
  db: DbOrTrx,
  op: CallerOp,
  write: (trx: DbOrTrx) => Promise<T>,
  count: (trx: DbOrTrx, written: T) => Promise<void>,
): Promise<T> {
  if (!countsFunnelSetBased(db)) return write(db);
  if (!db.isTransaction) return db.transaction().execute((trx) => withSetBasedFunnel(trx, op, write, count));
  const setFlag = (v: CallerOp | null) =>
    db.updateTable('funnel_bulk').set({ counted_by_caller: v }).where('id', '=', 0).execute();
  await setFlag(op);
  let written: T;
  try {
    written = await write(db);
  } catch (e) {
    await setFlag(null).catch(() => undefined);
    throw e;
  }
  await setFlag(null);
  await count(db, written);
  return written;
}

/**
 * Runs `write`, updates of membership that change none of the columns the funnel counts (the
 * reminder sweep's bookkeeping) or whose steps the caller counts in the same statement (the
 * expiry sweep's walk, pgStepCountSql), in the caller's transaction without the funnel's update trigger:
 * on PostgreSQL its statement trigger returns at once while the transaction-local setting says so
 * (migration 2026-12-04T1919), instead of comparing every old and new row to find no step; on
 * SQLite the row trigger fires only for updates of the columns it watches anyway.
 */
export async function withoutFunnelSteps<T>(db: DbOrTrx, write: () => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return write();
  if (!db.isTransaction) throw new Error("withoutFunnelSteps needs the caller's transaction");
  await sql`select set_config('convene.funnel_update', 'skip', true)`.execute(db);
  const written = await write();
  await sql`select set_config('convene.funnel_update', '', true)`.execute(db);
  return written;
}

/** Counter rows to add: scopes (a null one is skipped), the step, when it happened, how many (signed). */
export type FunnelDelta = readonly [
  communityId: number | null,
  dataJobId: number | null,
  inviterId: number | null,
  step: string,
  at: number,
  n: number,
];

const scopeKinds = `(SELECT 'site' AS kind UNION ALL SELECT 'community' UNION ALL SELECT 'data_job' UNION ALL SELECT 'inviter')`;
const scopeId = (k: string, r: string) =>
  `CASE ${k}.kind WHEN 'site' THEN 0 WHEN 'community' THEN ${r}.community_id WHEN 'data_job' THEN ${r}.data_job_id ELSE ${r}.invited_by END`;
const weeks = `(SELECT 1 AS all_time UNION ALL SELECT 0)`;
const onConflict = sql.raw(
  `ON CONFLICT (scope_kind, week, scope_id, step, slot) DO UPDATE SET n = funnel_counter.n + excluded.n`,
);

/**
 * Adds the deltas to `funnel_counter` (slot 0, SQLite's) in one statement: each scope, all-time
 * (week 0) and the week of `at`, grouped; a group summing to 0 writes nothing.
 */
export async function addFunnelDeltas(db: DbOrTrx, input: readonly FunnelDelta[]): Promise<void> {
  // one delta per (scopes, step, week) before the statement: its parameter stays small
  const grouped = new Map<string, [number | null, number | null, number | null, string, number, number]>();
  for (const [c, j, i, step, at, n] of input) {
    const wk = at - ((at + MONDAY_OFFSET) % WEEK);
    const key = `${c}/${j}/${i}/${step}/${wk}`;
    const g = grouped.get(key);
    if (g) g[5] += n;
    else grouped.set(key, [c, j, i, step, wk, n]);
  }
  const deltas = [...grouped.values()];
  if (!deltas.length) return;
  await sql`INSERT INTO funnel_counter (scope_kind, scope_id, week, step, slot, n)
    SELECT kind, sid, wk, step, 0, sum(n) FROM (
      SELECT k.kind AS kind, ${sql.raw(scopeId('k', 'd'))} AS sid,
        CASE WHEN w.all_time = 1 THEN 0 ELSE ${sql.raw(weekSql('d.at'))} END AS wk, d.step AS step, d.n AS n
      FROM (SELECT value->>0 AS community_id, value->>1 AS data_job_id, value->>2 AS invited_by,
          value->>3 AS step, value->>4 AS at, value->>5 AS n FROM json_each(${JSON.stringify(deltas)})) d,
        ${sql.raw(scopeKinds)} k, ${sql.raw(weeks)} w
    ) x WHERE sid IS NOT NULL GROUP BY kind, sid, wk, step HAVING sum(n) <> 0 ${onConflict}`.execute(db);
}

/**
 * The re-invitations (updates) per community that the bulk upsert made while its inserts were
 * counted by the caller (their row trigger counted them), cleared as they are read.
 */
export async function takeReinvitedCounts(db: DbOrTrx): Promise<Map<number, number>> {
  const rows = await db.selectFrom('funnel_bulk_reinvited').select(['community_id', 'n']).execute();
  if (rows.length) await db.deleteFrom('funnel_bulk_reinvited').execute();
  return new Map(rows.map((r) => [Number(r.community_id), Number(r.n)]));
}

const progressColumns = [
  ['emailed', 'emailed_at'],
  ['delivered', 'delivered_at'],
  ['opened', 'opened_at'],
  ['signedIn', 'signed_in_at'],
] as const;

/**
 * Takes back, in one statement, the steps of a job's open invitations (`openStates`) that are
 * about to be deleted, as the delete trigger would per row: invited in the week of invited_at,
 * each progress step in the week of its time. The rows are read grouped by their scopes and
 * steps' weeks (a few groups), then added as deltas. Run before the delete, in its transaction.
 */
export async function takeBackOpenInvitationsOfJob(
  db: DbOrTrx,
  dataJobId: number,
  openStates: readonly string[],
): Promise<void> {
  const cols = [['invited', 'invited_at'], ...progressColumns] as const;
  // one group per scopes and weeks of every step (a week is null where the step is not reached)
  const groupWeeks = cols.map(([, c], i) => `${weekSql(`${c}`)} AS w${i}`).join(', ');
  const groups = await sql<Record<string, number | null>>`SELECT community_id, data_job_id, invited_by,
      ${sql.raw(groupWeeks)}, count(*) AS n
    FROM membership
    WHERE data_job_id = ${dataJobId} AND state IN (${sql.join(openStates.map((s) => sql.lit(s)))})
      AND invited_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`.execute(db);
  const deltas: FunnelDelta[] = [];
  for (const g of groups.rows)
    cols.forEach(([step], i) => {
      const at = g[`w${i}`];
      if (at !== null && at !== undefined)
        deltas.push([
          g.community_id ?? null,
          g.data_job_id ?? null,
          g.invited_by ?? null,
          step,
          Number(at),
          -Number(g.n),
        ]);
    });
  await addFunnelDeltas(db, deltas);
}
