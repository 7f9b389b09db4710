/**
 * The invitation funnel's views: a community's Insights, a Data Tools job's funnel and the admin
 * dashboard, all read from the counters the membership triggers keep (a few rows per view,
 * whatever the number of invitations), and the join link's "opened".
 */
import {
  type DataJobFunnelAnswer,
  type Funnel,
  type FunnelDashboardAnswer,
  funnelDashboardRows,
  funnelSeriesWeeks,
  type FunnelWeek,
  type InsightsAnswer,
} from '../../shared/insights.js';
import type { AppContext } from '../context.js';
import { getDataJob } from '../data-tools/api/data-job.service.js';
import { AppError } from '../errors.js';
import type { Caller } from '../http/caller.js';
import { readInvitationLinkToken } from '../invitations/invitation-link.js';
import {
  type FunnelCounts,
  getManagedCommunity,
  listFunnelScopes,
  markInvitationOpened,
  readFunnelAndWeeks,
} from '../memberships/index.js';

const WEEK = 604_800_000;
const MONDAY_OFFSET = 259_200_000;

/** The Monday 00:00 UTC that starts the week of `at` (the counters' week). */
export function weekOf(at: number): number {
  return at - ((at + MONDAY_OFFSET) % WEEK);
}

/**
 * A scope's all-time counts and its last `funnelSeriesWeeks` weeks up to now, each present (weeks
 * without a step are zeros), from the first week with a step, so a young site's chart is not 50
 * empty weeks.
 */
async function funnelAndSeries(
  ctx: AppContext,
  kind: 'site' | 'community' | 'data_job',
  id: number,
): Promise<{ funnel: Funnel; weeks: FunnelWeek[] }> {
  const last = weekOf(ctx.clock.now());
  const first = last - (funnelSeriesWeeks - 1) * WEEK;
  const read = await readFunnelAndWeeks(ctx.db, kind, id, first);
  const funnel = funnelOf(read.funnel);
  if (!read.weeks.length) return { funnel, weeks: [] };
  const byWeek = new Map(read.weeks.map((r) => [r.week, r.funnel]));
  const start = Math.max(first, read.weeks[0]?.week ?? first);
  const weeks: FunnelWeek[] = [];
  for (let w = start; w <= last; w += WEEK) weeks.push({ week: isoDate(w), ...(byWeek.get(w) ?? zeros()) });
  return { funnel, weeks };
}

const isoDate = (at: number) => new Date(at).toISOString().slice(0, 10);
const zeros = (): Funnel => ({
  invited: 0,
  emailed: 0,
  delivered: 0,
  opened: 0,
  signedIn: 0,
  joined: 0,
  declined: 0,
  expired: 0,
  revoked: 0,
});
const funnelOf = (f: FunnelCounts): Funnel => ({ ...f });

/** A community's Insights: its leaders and site admins. */
export async function communityInsights(ctx: AppContext, caller: Caller, communityId: number): Promise<InsightsAnswer> {
  const { community } = await getManagedCommunity(ctx.db, caller.person, communityId);
  const { funnel, weeks } = await funnelAndSeries(ctx, 'community', communityId);
  return { community: { id: community.id, name: community.name }, funnel, weeks };
}

/** A Data Tools job's funnel (admins; the route checks). */
export async function dataJobFunnel(ctx: AppContext, jobId: number): Promise<DataJobFunnelAnswer> {
  const job = await getDataJob(ctx, jobId);
  const { funnel, weeks } = await funnelAndSeries(ctx, 'data_job', job.id);
  return { jobId: job.id, funnel, weeks };
}

/** The admin dashboard: the site's totals and weeks, the communities and inviters with the most invitations. */
export async function funnelDashboard(ctx: AppContext): Promise<FunnelDashboardAnswer> {
  const [{ funnel, weeks }, communities, inviters] = await Promise.all([
    funnelAndSeries(ctx, 'site', 0),
    listFunnelScopes(ctx.db, 'community', funnelDashboardRows),
    listFunnelScopes(ctx.db, 'inviter', funnelDashboardRows),
  ]);
  const row = (r: { id: number; name: string; funnel: FunnelCounts }) => ({ id: r.id, name: r.name, ...r.funnel });
  return { funnel, weeks, communities: communities.map(row), inviters: inviters.map(row) };
}

/**
 * The join link of an invitation email was opened: the first opening of a still-open invitation
 * is its funnel's "opened". Anyone may call it (the link is opened before signing in); a token
 * the site did not make is refused; later openings and ended invitations record nothing.
 */
export async function openInvitationLink(ctx: AppContext, token: string): Promise<{ recorded: boolean }> {
  const inv = readInvitationLinkToken(ctx.config.secret, token);
  if (!inv) throw new AppError('invitation_link_invalid');
  const recorded = await markInvitationOpened(ctx.db, inv.communityId, inv.personId, ctx.clock.now());
  return { recorded };
}
