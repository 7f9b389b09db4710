/** The admins' daily digest: who waits for approval, and which admins take the digest. */
import type { DbOrTrx } from '../db/db.js';
import type { PersonRow } from '../db/schema.js';

/** People waiting for a site admin's approval: how many, and the first `limit` by arrival. */
export async function listPendingPeople(
  db: DbOrTrx,
  limit: number,
): Promise<{ total: number; first: Pick<PersonRow, 'first_name' | 'last_name' | 'email'>[] }> {
  const count = await db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  const total = Number(count.n);
  if (total === 0) return { total, first: [] };
  const first = await db
    .selectFrom('person')
    .select(['first_name', 'last_name', 'email'])
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return { total, first };
}

/** The next `limit` active admins with an address after `afterId` who take the digest (not turned off). */
export async function listApprovalDigestAdmins(
  db: DbOrTrx,
  afterId: number,
  limit: number,
): Promise<{ id: number; email: string }[]> {
  const rows = await db
    .selectFrom('person as p')
    .leftJoin('notification_setting as ns', (j) =>
      j.onRef('ns.person_id', '=', 'p.id').on('ns.kind', '=', 'approval_queue'),
    )
    .select(['p.id', 'p.email'])
    .where('p.is_admin', '=', 1)
    .where('p.status', '=', 'active')
    .where('p.email', 'is not', null)
    .where((eb) => eb.or([eb('ns.mode', 'is', null), eb('ns.mode', '!=', 'off')]))
    .where('p.id', '>', afterId)
    .orderBy('p.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email as string }));
}
