/**
 * The member count a public landing page shows, kept for 30 seconds per process: counting a large
 * community's members on every view of a page posted to thousands of phones costs milliseconds
 * each time, and nobody needs the count to the second.
 */
import type { AppContext } from '../context.js';
import { countMembershipsInState } from '../memberships/index.js';

const KEEP_MS = 30_000;
const MAX_ENTRIES = 10_000;

const caches = new WeakMap<AppContext, Map<number, { count: number; at: number }>>();

export async function landingMemberCount(ctx: AppContext, communityId: number): Promise<number> {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new Map();
    caches.set(ctx, cache);
  }
  const now = ctx.clock.now();
  const hit = cache.get(communityId);
  if (hit && now - hit.at < KEEP_MS) return hit.count;
  const count = await countMembershipsInState(ctx.db, communityId, 'joined');
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(communityId, { count, at: now });
  return count;
}
