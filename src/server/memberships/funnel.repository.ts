/**
 * The invitation funnel: the step times written on an invitation (its link opened, its invitee
 * signed in, its email delivered), and the reads of `funnel_counter`, which triggers on
 * membership keep (migration 2026-12-03T1840-funnel-funnel-counters). A read sums a scope's
 * slots: a few rows per step, whatever the number of invitations.
 */
import { type FunnelScopeKind, type FunnelStep, funnelSteps } from '../../shared/insights.js';
import type { DbOrTrx } from '../db/db.js';
import { openInvitationStates } from './membership.repository.js';

export type FunnelCounts = Record<FunnelStep, number>;

export function emptyFunnel(): FunnelCounts {
  return Object.fromEntries(funnelSteps.map((s) => [s, 0])) as FunnelCounts;
}

function add(f: FunnelCounts, step: string, n: number | string): void {
  if ((funnelSteps as readonly string[]).includes(step)) f[step as FunnelStep] += Number(n);
}

/** A scope's all-time counts (week 0), from the primary key's range. */
export async function readFunnel(db: DbOrTrx, kind: FunnelScopeKind, scopeId: number): Promise<FunnelCounts> {
  const rows = await db
    .selectFrom('funnel_counter')
    .select(['step', (eb) => eb.fn.sum<number | string>('n').as('n')])
    .where('scope_kind', '=', kind)
    .where('week', '=', 0)
    .where('scope_id', '=', scopeId)
    .groupBy('step')
    .execute();
  const f = emptyFunnel();
  for (const r of rows) add(f, r.step, r.n);
  return f;
}

/** A scope's counts per week from `fromWeek` (a Monday, inclusive), oldest first; weeks without a step are absent. */
export async function readFunnelWeeks(
  db: DbOrTrx,
  kind: FunnelScopeKind,
  scopeId: number,
  fromWeek: number,
): Promise<{ week: number; funnel: FunnelCounts }[]> {
  const rows = await db
    .selectFrom('funnel_counter')
    .select(['week', 'step', (eb) => eb.fn.sum<number | string>('n').as('n')])
    .where('scope_kind', '=', kind)
    .where('scope_id', '=', scopeId)
    .where('week', '>=', Math.max(1, fromWeek))
    .groupBy(['week', 'step'])
    .orderBy('week')
    .execute();
  const byWeek = new Map<number, FunnelCounts>();
  for (const r of rows) {
    const w = Number(r.week);
    let f = byWeek.get(w);
    if (!f) byWeek.set(w, (f = emptyFunnel()));
    add(f, r.step, r.n);
  }
  return [...byWeek].map(([week, funnel]) => ({ week, funnel }));
}

/**
 * The all-time counts of every scope of a kind (communities, inviters), with its name: the
 * `limit` with the most invitations first. One range of the primary key (kind, week 0).
 */
export async function listFunnelScopes(
  db: DbOrTrx,
  kind: 'community' | 'inviter',
  limit: number,
): Promise<{ id: number; name: string; funnel: FunnelCounts }[]> {
  const rows = await db
    .selectFrom('funnel_counter')
    .select(['scope_id', 'step', (eb) => eb.fn.sum<number | string>('n').as('n')])
    .where('scope_kind', '=', kind)
    .where('week', '=', 0)
    .groupBy(['scope_id', 'step'])
    .execute();
  const byId = new Map<number, FunnelCounts>();
  for (const r of rows) {
    const id = Number(r.scope_id);
    let f = byId.get(id);
    if (!f) byId.set(id, (f = emptyFunnel()));
    add(f, r.step, r.n);
  }
  const top = [...byId]
    .filter(([, f]) => funnelSteps.some((s) => f[s] !== 0))
    .sort((a, b) => b[1].invited - a[1].invited || a[0] - b[0])
    .slice(0, limit);
  if (!top.length) return [];
  const ids = top.map(([id]) => id);
  const names = new Map<number, string>(
    kind === 'community'
      ? (await db.selectFrom('community').select(['id', 'name']).where('id', 'in', ids).execute()).map((r) => [
          r.id,
          r.name,
        ])
      : (
          await db
            .selectFrom('person')
            .select(['id', 'first_name', 'last_name', 'email'])
            .where('id', 'in', ids)
            .execute()
        ).map((r) => [r.id, `${r.first_name} ${r.last_name}`.trim() || r.email || `Person ${r.id}`]),
  );
  return top.map(([id, funnel]) => ({ id, name: names.get(id) ?? `#${id}`, funnel }));
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
