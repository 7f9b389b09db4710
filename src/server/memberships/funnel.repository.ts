/**
 * The invitation funnel: the step times written on an invitation (its link opened, its invitee
 * signed in, its email delivered), and the reads of `funnel_counter`, which triggers on
 * membership keep (migration 2026-12-03T1840-funnel-funnel-counters). Every read is a range of an
 * index that holds `n` (no look-up per row), summing a scope's slots and pivoting the steps into
 * columns in SQL, whatever the number of invitations.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import { type FunnelScopeKind, type FunnelStep, funnelSteps } from '../../shared/insights.js';
import type { DbOrTrx } from '../db/db.js';
import type { Database } from '../db/schema.js';
import { openInvitationStates } from './membership.repository.js';

export type FunnelCounts = Record<FunnelStep, number>;

export function emptyFunnel(): FunnelCounts {
  return Object.fromEntries(funnelSteps.map((s) => [s, 0])) as FunnelCounts;
}

type CounterRow = { [K in FunnelStep]: number | string | null };

/**
 * Each step's sum over the rows read, as a column of its own: a read answers one row per group
 * (a scope, a week) instead of one per step, and sums a scope's slots as it goes.
 */
function stepColumns(eb: ExpressionBuilder<Database, 'funnel_counter'>) {
  return funnelSteps.map((s) =>
    eb.fn.sum<number | string | null>(eb.case().when('step', '=', s).then(eb.ref('n')).else(sql.lit(0)).end()).as(s),
  );
}

function funnelOfRow(r: CounterRow): FunnelCounts {
  const f = emptyFunnel();
  for (const s of funnelSteps) f[s] = Number(r[s] ?? 0);
  return f;
}

/** A scope's all-time counts (week 0), from the range (kind, scope, week 0) of the scope index. */
export async function readFunnel(db: DbOrTrx, kind: FunnelScopeKind, scopeId: number): Promise<FunnelCounts> {
  const row = await db
    .selectFrom('funnel_counter')
    .select((eb) => stepColumns(eb))
    .where('scope_kind', '=', kind)
    .where('scope_id', '=', scopeId)
    .where('week', '=', 0)
    .executeTakeFirst();
  return row ? funnelOfRow(row) : emptyFunnel();
}

/**
 * A scope's all-time counts and its counts per week from `fromWeek` (a Monday, inclusive), oldest
 * first (weeks without a step are absent), in one statement: two ranges of the scope index
 * (kind, scope, week 0) and (kind, scope, weeks from `fromWeek`), one row per week.
 */
export async function readFunnelAndWeeks(
  db: DbOrTrx,
  kind: FunnelScopeKind,
  scopeId: number,
  fromWeek: number,
): Promise<{ funnel: FunnelCounts; weeks: { week: number; funnel: FunnelCounts }[] }> {
  const scope = db
    .selectFrom('funnel_counter')
    .select((eb) => [eb.ref('week').as('week'), ...stepColumns(eb)])
    .where('scope_kind', '=', kind)
    .where('scope_id', '=', scopeId);
  const rows = await scope
    .where('week', '=', 0)
    .groupBy('week')
    .unionAll(scope.where('week', '>=', Math.max(1, fromWeek)).groupBy('week'))
    .execute();
  let funnel = emptyFunnel();
  const weeks: { week: number; funnel: FunnelCounts }[] = [];
  for (const r of rows) {
    const week = Number(r.week);
    if (week === 0) funnel = funnelOfRow(r);
    else weeks.push({ week, funnel: funnelOfRow(r) });
  }
  return { funnel, weeks: weeks.sort((x, y) => x.week - y.week) };
}

/**
 * The all-time counts of the `limit` scopes of a kind (communities, inviters) with the most
 * invitations (ties: the lower id first), with their names. The ranking reads one range of the
 * primary key (kind, week 0, 'invited'): a row per scope and slot, not every step of every scope;
 * the same statement then reads the chosen scopes' steps, a range of the scope index each.
 */
export async function listFunnelScopes(
  db: DbOrTrx,
  kind: 'community' | 'inviter',
  limit: number,
): Promise<{ id: number; name: string; funnel: FunnelCounts }[]> {
  const invited = sql<number | string>`sum(n)`;
  const ranked = db
    .selectFrom('funnel_counter')
    .select('scope_id')
    .where('scope_kind', '=', kind)
    .where('week', '=', 0)
    .where('step', '=', 'invited')
    .groupBy('scope_id')
    .having(invited, '>', 0)
    .orderBy(invited, 'desc')
    .orderBy('scope_id')
    .limit(limit);
  const rows = await db
    .selectFrom('funnel_counter')
    .select((eb) => [eb.ref('scope_id').as('scope_id'), ...stepColumns(eb)])
    .where('scope_kind', '=', kind)
    .where('scope_id', 'in', ranked)
    .where('week', '=', 0)
    .groupBy('scope_id')
    .execute();
  if (!rows.length) return [];
  const scopes = rows
    .map((r) => ({ id: Number(r.scope_id), funnel: funnelOfRow(r) }))
    .sort((x, y) => y.funnel.invited - x.funnel.invited || x.id - y.id);
  const names = await scopeNames(
    db,
    kind,
    scopes.map((r) => r.id),
  );
  return scopes.map((r) => ({ ...r, name: names.get(r.id) ?? `#${r.id}` }));
}

async function scopeNames(db: DbOrTrx, kind: 'community' | 'inviter', ids: number[]): Promise<Map<number, string>> {
  if (kind === 'community') {
    const rows = await db.selectFrom('community').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
  const rows = await db
    .selectFrom('person')
    .select(['id', 'first_name', 'last_name', 'email'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, `${r.first_name} ${r.last_name}`.trim() || r.email || `Person ${r.id}`]));
}

/** Records the first opening of an open invitation's join link; true when this call recorded it. */
export async function markInvitationOpened(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable('membership')
    .set({ opened_at: now })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .where('state', 'in', [...openInvitationStates])
    .where('invited_at', 'is not', null)
    .where('opened_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** A sign-in of `personId`: their open invitations that had not seen one yet record it (by the primary key's person prefix). */
export async function markInvitationsSignedIn(db: DbOrTrx, personId: number, now: number): Promise<number> {
  const res = await db
    .updateTable('membership')
    .set({ signed_in_at: now })
    .where('person_id', '=', personId)
    .where('state', 'in', [...openInvitationStates])
    .where('invited_at', 'is not', null)
    .where('signed_in_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** The SMTP server accepted outbox row `outboxId`: the invitations whose email it is were delivered (once). */
export async function markInvitationEmailDelivered(db: DbOrTrx, outboxId: number, at: number): Promise<void> {
  await db
    .updateTable('membership')
    .set({ delivered_at: at })
    .where('email_outbox_id', '=', outboxId)
    .where('delivered_at', 'is', null)
    .execute();
}
