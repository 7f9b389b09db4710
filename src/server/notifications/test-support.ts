/** Test helpers of the notifications feature: a private community with a leader, and the outbox rows to an address. */
import type { AppContext } from '../context.js';
import { addMembership, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';

export const DAY = 24 * 60 * 60 * 1000;

export async function ledPrivateCommunity(ctx: AppContext, name?: string) {
  const community = await buildCommunity(ctx, { privacy: 'private', ...(name ? { name } : {}) });
  const leader = await buildPerson(ctx);
  await addMembership(ctx, community.id, leader.id, 'joined', 'leader');
  return { community, leader, leaderCookie: await sessionCookie(ctx, leader.id) };
}

/** The outbox rows to an address, oldest first, with their payload parsed. */
export async function emailsTo(ctx: AppContext, to: string) {
  const rows = await ctx.db
    .selectFrom('email_outbox')
    .select(['id', 'template', 'payload', 'category', 'created_at'])
    .where('to_address', '=', to)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}
