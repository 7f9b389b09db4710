/** The audit log: who did what to whom, written in the same transaction as the change. */
import type { DbOrTrx } from '../db/db.js';
import type { membershipTargetType } from '../memberships/membership-audit.js';

export interface AuditEntry {
  readonly actorId: number | null;
  /** dotted verb, e.g. `person.approve`, `community.update`, `membership.promote` */
  readonly action: string;
  readonly targetType: 'person' | 'community' | typeof membershipTargetType | 'member_type' | 'site' | 'api_token' | 'feed';
  readonly targetId: string | number | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

export async function recordAudit(db: DbOrTrx, entry: AuditEntry, now: number): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId === null ? null : String(entry.targetId),
      details: entry.details ? JSON.stringify(entry.details) : null,
      created_at: now,
    })
    .execute();
}

export interface AuditEventItem {
  id: number;
  actorId: number | null;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: unknown;
  createdAt: number;
}

/** Newest first, keyset on (created_at, id). */
export async function listAuditEvents(
  db: DbOrTrx,
  options: { before?: { at: number; id: number }; limit: number; targetType?: string; targetId?: string },
): Promise<AuditEventItem[]> {
  let q = db
    .selectFrom('audit_event')
    .leftJoin('person', 'person.id', 'audit_event.actor_id')
    .select([
      'audit_event.id',
      'audit_event.actor_id',
      'audit_event.action',
      'audit_event.target_type',
      'audit_event.target_id',
      'audit_event.details',
      'audit_event.created_at',
      'person.id as person_id',
      'person.first_name',
      'person.last_name',
      'person.email',
    ])
    .orderBy('audit_event.created_at', 'desc')
    .orderBy('audit_event.id', 'desc')
    .limit(options.limit);
  if (options.before) {
    const { at, id } = options.before;
    q = q.where((eb) => eb(eb.refTuple('audit_event.created_at', 'audit_event.id'), '<', eb.tuple(at, id)));
  }
  if (options.targetType) q = q.where('audit_event.target_type', '=', options.targetType);
  if (options.targetId) q = q.where('audit_event.target_id', '=', options.targetId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    actorId: r.actor_id,
    actorName:
      r.person_id === null ? null : `${r.first_name ?? ''} ${r.last_name ?? ''}`.trim() || r.email || 'Someone',
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    details: r.details ? (JSON.parse(r.details) as unknown) : null,
    createdAt: r.created_at,
  }));
}
