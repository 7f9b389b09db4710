/** The admin-managed list of member types. */
import { recordAudit } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import {
  ensureMemberType,
  findMemberTypeByName,
  listMemberTypes,
  type MemberTypeRow,
} from './member-type.repository.js';
import type { Actor } from './person-status.service.js';

export { findMemberTypeByName, listMemberTypes };

/** Adds a member type; a name that matches an existing one (ignoring case and spaces) is a conflict. */
export async function createMemberType(ctx: AppContext, actor: Actor | null, name: string): Promise<MemberTypeRow> {
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await findMemberTypeByName(trx, name);
    if (existing) throw new AppError('conflict', `The member type "${existing.name}" already exists.`);
    const now = ctx.clock.now();
    const row = await ensureMemberType(trx, name, now);
    await recordAudit(
      trx,
      {
        actorId: actor?.id ?? null,
        action: 'member_type.create',
        targetType: 'member_type',
        targetId: row.id,
        details: { name: row.name },
      },
      now,
    );
    return row;
  });
}
