/** A member's own profile: their name (people invited by address alone start without one). */
import type { Me } from '../../shared/auth.js';
import type { ProfilePatch } from '../../shared/profile.js';
import { loadMe } from '../auth/me.js';
import type { Caller } from '../http/caller.js';
import type { AppContext } from '../context.js';
import { findPersonById, updatePerson } from './person.repository.js';
import { AppError } from '../errors.js';

/** Sets the caller's own first and/or last name; answers the caller as GET /api/me does. */
export async function updateOwnProfile(ctx: AppContext, caller: Caller, patch: ProfilePatch): Promise<Me> {
  return ctx.db.transaction().execute(async (trx) => {
    await updatePerson(trx, caller.person.id, {
      ...(patch.firstName !== undefined ? { first_name: patch.firstName } : {}),
      ...(patch.lastName !== undefined ? { last_name: patch.lastName } : {}),
      updated_at: ctx.clock.now(),
    });
    const person = await findPersonById(trx, caller.person.id);
    if (!person) throw new AppError('not_found', 'Person not found.');
    return loadMe(trx, person);
  });
}
