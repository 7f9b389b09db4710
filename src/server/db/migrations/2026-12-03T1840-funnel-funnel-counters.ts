/**
 * The invitation funnel: the times of an invitation's steps that membership did not hold yet
 * (`delivered_at`: the SMTP server accepted the invitation email; `opened_at`: its join link was
 * opened; `signed_in_at`: the invitee signed in while it was open), and `funnel_counter`, the
 * count of invitations that reached each step, per scope (site, community, data job, inviter),
 * per week and all-time (week 0), kept by triggers on membership in the same transaction as the
 * write that makes the step (docs/decisions.md, "The funnel is counted by triggers").
 *
 * What a membership write counts (NEW: the row after, OLD: before; "open" = invited or dismissed):
 *
 * - invited: NEW is open with an inviter's time and OLD was not open (or absent), or NEW's
 *   invited_at is another invitation's (a re-invite);
 * - emailed, delivered, opened, signedIn: the step's time column (emailed_at, delivered_at,
 *   opened_at, signed_in_at) takes a new non-null value on an invitation;
 * - joined: OLD was open and NEW is joined;
 * - declined, expired, revoked: OLD was open and NEW ended by decline, expire or revoke;
 * - a deleted open invitation (Data Tools' undo, a rejected person) takes back its invited and
 *   progress steps, each in the week it was counted in (invited: the week of invited_at).
 *
 * PostgreSQL: statement triggers with transition tables (a bulk statement's rows are aggregated
 * in one upsert), each backend writing its own slot so concurrent writers do not queue on one
 * row. SQLite: row triggers (one writer at a time, slot 0).
 */
import { sql } from 'kysely';
import { type AnyDb, pgOf } from '../migration-helpers.js';

const WEEK = 604_800_000;
/** 1970-01-01 was a Thursday: weeks start on Monday 00:00 UTC. */
const MONDAY_OFFSET = 259_200_000;
const week = (at: string) => `(${at} - ((${at} + ${MONDAY_OFFSET}) % ${WEEK}))`;

const open = (r: string) => `${r}.state IN ('invited', 'dismissed')`;
const progress = [
  ['emailed', 'emailed_at'],
  ['delivered', 'delivered_at'],
  ['opened', 'opened_at'],
  ['signedIn', 'signed_in_at'],
] as const;
const endings = [
  ['declined', 'decline'],
  ['expired', 'expire'],
  ['revoked', 'revoke'],
] as const;

interface Step {
  readonly step: string;
  /** when it happened (its week is counted) */
  readonly at: string;
  /** the condition under which this row change counts it */
  readonly when: string;
}

/**
 * The steps a write counts, +1 each: `n` the new row's alias, `o` the old one's (null for an
 * insert); `distinct` spells IS DISTINCT FROM in the dialect.
 */
function addedSteps(n: string, o: string | null, distinct: (a: string, b: string) => string): Step[] {
  const invitedWhen = o
    ? `${open(n)} AND ${n}.invited_at IS NOT NULL AND (${o}.state IS NULL OR NOT (${open(o)}) OR ${distinct(`${o}.invited_at`, `${n}.invited_at`)})`
    : `${open(n)} AND ${n}.invited_at IS NOT NULL`;
  const steps: Step[] = [{ step: 'invited', at: `${n}.updated_at`, when: invitedWhen }];
  for (const [step, col] of progress)
    steps.push({
      step,
      at: `${n}.${col}`,
      when: `${n}.invited_at IS NOT NULL AND ${n}.${col} IS NOT NULL${o ? ` AND ${distinct(`${o}.${col}`, `${n}.${col}`)}` : ''}`,
    });
  if (o) {
    steps.push({ step: 'joined', at: `${n}.updated_at`, when: `${open(o)} AND ${n}.state = 'joined'` });
    for (const [step, event] of endings)
      steps.push({
        step,
        at: `${n}.updated_at`,
        when: `${open(o)} AND NOT (${open(n)}) AND ${n}.state <> 'joined' AND ${n}.ended_by = '${event}'`,
      });
  }
  return steps;
}

/** The steps a deleted open invitation takes back, -1 each. */
function removedSteps(o: string): Step[] {
  return [
    { step: 'invited', at: `${o}.invited_at`, when: `${open(o)} AND ${o}.invited_at IS NOT NULL` },
    ...progress.map(([step, col]) => ({
      step,
      at: `${o}.${col}`,
      when: `${open(o)} AND ${o}.invited_at IS NOT NULL AND ${o}.${col} IS NOT NULL`,
    })),
  ];
}

const scopes = (r: string) => [
  ['site', '0'],
  ['community', `${r}.community_id`],
  ['data_job', `${r}.data_job_id`],
  ['inviter', `${r}.invited_by`],
];

const upsert = `INSERT INTO funnel_counter (scope_kind, scope_id, week, step, slot, n)`;
const onConflict = `ON CONFLICT (scope_kind, week, scope_id, step, slot) DO UPDATE SET n = funnel_counter.n + excluded.n`;

/**
 * SQLite: one trigger statement over NEW/OLD (no CTE in a trigger; subqueries of constants). A
 * row's (scope, week, step) triples are distinct, so there is nothing to group: no sorter per row.
 */
function sqliteBody(steps: Step[], scopeRow: string, sign: 1 | -1): string {
  const d = steps.map((s) => `SELECT '${s.step}' AS step, ${s.at} AS at WHERE ${s.when}`).join(' UNION ALL ');
  const sc = scopes(scopeRow)
    .map(([k, id]) => `SELECT '${k}' AS kind, ${id} AS id`)
    .join(' UNION ALL ');
  return `${upsert}
    SELECT sc.kind, sc.id, CASE WHEN w.all_time = 1 THEN 0 ELSE ${week('d.at')} END, d.step, 0, ${sign}
    FROM (${d}) d, (${sc}) sc, (SELECT 1 AS all_time UNION ALL SELECT 0) w
    WHERE sc.id IS NOT NULL AND d.at IS NOT NULL ${onConflict};`;
}

/** PostgreSQL: one statement over a transition table (`rows`), LATERAL lists of steps and scopes. */
function pgBody(steps: Step[], from: string, scopeRow: string, sign: 1 | -1): string {
  const d = steps.map((s) => `('${s.step}', ${s.at}, (${s.when}))`).join(', ');
  const sc = scopes(scopeRow)
    .map(([k, id]) => `('${k}', ${id}::bigint)`)
    .join(', ');
  return `${upsert}
    SELECT sc.kind, sc.id, wk.week, d.step, pg_backend_pid() % 8 + 1, ${sign} * count(*)
    FROM ${from}
    CROSS JOIN LATERAL (VALUES ${d}) d(step, at, hit)
    CROSS JOIN LATERAL (VALUES ${sc}) sc(kind, id)
    CROSS JOIN LATERAL (VALUES (0::bigint), (${week('d.at')}::bigint)) wk(week)
    WHERE d.hit AND d.at IS NOT NULL AND sc.id IS NOT NULL
    GROUP BY 1, 2, 3, 4 ${onConflict};`;
}

const sqliteDistinct = (a: string, b: string) => `${a} IS NOT ${b}`;
const pgDistinct = (a: string, b: string) => `${a} IS DISTINCT FROM ${b}`;
const watched = ['state', 'invited_at', 'emailed_at', 'delivered_at', 'opened_at', 'signed_in_at', 'ended_by'];

export async function up(db: AnyDb): Promise<void> {
  for (const col of ['delivered_at', 'opened_at', 'signed_in_at'])
    await db.schema.alterTable('membership').addColumn(col, 'bigint').execute();

  await db.schema
    .createTable('funnel_counter')
    .addColumn('scope_kind', 'text', (c) => c.notNull())
    .addColumn('week', 'bigint', (c) => c.notNull())
    .addColumn('scope_id', 'bigint', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('funnel_counter_pk', ['scope_kind', 'week', 'scope_id', 'step', 'slot'])
    .execute();
  // One scope's weeks (its per-week series) in one range, covering.
  await db.schema
    .createIndex('funnel_counter_scope_idx')
    .on('funnel_counter')
    .columns(['scope_kind', 'scope_id', 'week', 'step', 'n'])
    .execute();

  // What the rows already there reached, as far as they tell: the invitation, its email and
  // delivery, its join or its end, each at the time the row holds.
  const since = `SELECT community_id, data_job_id, invited_by, step, at FROM (
      SELECT community_id, data_job_id, invited_by, 'invited' AS step, invited_at AS at FROM membership WHERE invited_at IS NOT NULL
      UNION ALL SELECT community_id, data_job_id, invited_by, 'emailed', invited_at FROM membership
        WHERE invited_at IS NOT NULL AND email_status IN ('queued', 'sent', 'kept', 'failed', 'suppressed')
      UNION ALL SELECT community_id, data_job_id, invited_by, 'delivered', invited_at FROM membership
        WHERE invited_at IS NOT NULL AND email_status = 'sent'
      UNION ALL SELECT community_id, data_job_id, invited_by, 'joined', coalesce(joined_at, updated_at) FROM membership
        WHERE invited_at IS NOT NULL AND state = 'joined'
      ${endings
        .map(
          ([
            step,
            event,
          ]) => `UNION ALL SELECT community_id, data_job_id, invited_by, '${step}', updated_at FROM membership
        WHERE invited_at IS NOT NULL AND state IN ('left', 'removed') AND ended_by = '${event}'`,
        )
        .join(' ')}
    ) x`;
  const scopeUnion = scopes('m')
    .map(([k, id]) => `SELECT '${k}' AS kind, ${id} AS id, m.step, m.at FROM (${since}) m`)
    .join(' UNION ALL ');
  await sql
    .raw(
      `INSERT INTO funnel_counter (scope_kind, scope_id, week, step, slot, n)
      SELECT kind, id, wk, step, 0, count(*) FROM (
        SELECT kind, id, 0 AS wk, step FROM (${scopeUnion}) a WHERE id IS NOT NULL
        UNION ALL SELECT kind, id, ${week('at')} AS wk, step FROM (${scopeUnion}) b WHERE id IS NOT NULL
      ) c GROUP BY kind, id, wk, step`,
    )
    .execute(db);

  if (pgOf(db)) {
    const fn = async (name: string, body: string) =>
      sql
        .raw(
          `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            ${body}
            RETURN NULL;
          END $$`,
        )
        .execute(db);
    await fn('membership_funnel_insert', pgBody(addedSteps('n', null, pgDistinct), 'new_rows n', 'n', 1));
    await fn(
      'membership_funnel_update',
      pgBody(
        addedSteps('n', 'o', pgDistinct),
        'new_rows n JOIN old_rows o ON o.community_id = n.community_id AND o.person_id = n.person_id',
        'n',
        1,
      ),
    );
    await fn('membership_funnel_delete', pgBody(removedSteps('o'), 'old_rows o', 'o', -1));
    await sql`CREATE TRIGGER membership_funnel_insert AFTER INSERT ON membership REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION membership_funnel_insert()`.execute(db);
    await sql`CREATE TRIGGER membership_funnel_update AFTER UPDATE ON membership
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION membership_funnel_update()`.execute(db);
    await sql`CREATE TRIGGER membership_funnel_delete AFTER DELETE ON membership REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION membership_funnel_delete()`.execute(db);
  } else {
    await sql
      .raw(
        `CREATE TRIGGER membership_funnel_insert AFTER INSERT ON membership BEGIN
        ${sqliteBody(addedSteps('NEW', null, sqliteDistinct), 'NEW', 1)}
      END`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER membership_funnel_update AFTER UPDATE ON membership
        WHEN ${watched.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')} BEGIN
        ${sqliteBody(addedSteps('NEW', 'OLD', sqliteDistinct), 'NEW', 1)}
      END`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER membership_funnel_delete AFTER DELETE ON membership WHEN ${open('OLD')} BEGIN
        ${sqliteBody(removedSteps('OLD'), 'OLD', -1)}
      END`,
      )
      .execute(db);
  }
}

export async function down(db: AnyDb): Promise<void> {
  if (pgOf(db)) {
    for (const op of ['insert', 'update', 'delete']) {
      await sql.raw(`DROP TRIGGER IF EXISTS membership_funnel_${op} ON membership`).execute(db);
      await sql.raw(`DROP FUNCTION IF EXISTS membership_funnel_${op}()`).execute(db);
    }
  } else {
    for (const op of ['insert', 'update', 'delete'])
      await sql.raw(`DROP TRIGGER IF EXISTS membership_funnel_${op}`).execute(db);
  }
  await db.schema.dropTable('funnel_counter').execute();
  for (const col of ['signed_in_at', 'opened_at', 'delivered_at'])
    await db.schema.alterTable('membership').dropColumn(col).execute();
}
