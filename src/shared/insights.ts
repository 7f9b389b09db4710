/** The invitation funnel's shapes shared by the server and the web app (Insights, a job's funnel, the admin dashboard). */
import { z } from 'zod';

/** The steps an invitation reaches, in the funnel's order; the last three end it without a join. */
export const funnelSteps = [
  'invited',
  'emailed',
  'delivered',
  'opened',
  'signedIn',
  'joined',
  'declined',
  'expired',
  'revoked',
] as const;
export type FunnelStep = (typeof funnelSteps)[number];

export const funnelScopeKinds = ['site', 'community', 'data_job', 'inviter'] as const;
export type FunnelScopeKind = (typeof funnelScopeKinds)[number];

export const funnelStepLabels: Record<FunnelStep, string> = {
  invited: 'Invited',
  emailed: 'Email sent',
  delivered: 'Delivered',
  opened: 'Link opened',
  signedIn: 'Signed in',
  joined: 'Joined',
  declined: 'Declined',
  expired: 'Expired',
  revoked: 'Revoked',
};

/** Counts of invitations that reached each step. */
export const funnelSchema = z.object(
  Object.fromEntries(funnelSteps.map((s) => [s, z.number().int()])) as Record<FunnelStep, z.ZodNumber>,
);
export type Funnel = z.infer<typeof funnelSchema>;

/** One week (starting Monday 00:00 UTC, as an ISO date) of a funnel. */
export const funnelWeekSchema = funnelSchema.extend({ week: z.string() });
export type FunnelWeek = z.infer<typeof funnelWeekSchema>;

/** How many weeks a series covers at most (the newest). */
export const funnelSeriesWeeks = 52;

export const funnelAnswerSchema = z.object({ funnel: funnelSchema, weeks: z.array(funnelWeekSchema) });
export type FunnelAnswer = z.infer<typeof funnelAnswerSchema>;

export const insightsAnswerSchema = funnelAnswerSchema.extend({
  community: z.object({ id: z.number().int(), name: z.string() }),
});
export type InsightsAnswer = z.infer<typeof insightsAnswerSchema>;

export const dataJobFunnelAnswerSchema = funnelAnswerSchema.extend({ jobId: z.number().int() });
export type DataJobFunnelAnswer = z.infer<typeof dataJobFunnelAnswerSchema>;

/** A named row of the admin dashboard: a community or an inviter, with its funnel. */
export const funnelRowSchema = funnelSchema.extend({ id: z.number().int(), name: z.string() });
export type FunnelRow = z.infer<typeof funnelRowSchema>;

/** How many communities and inviters the dashboard lists (the most invitations first). */
export const funnelDashboardRows = 50;

export const funnelDashboardAnswerSchema = funnelAnswerSchema.extend({
  communities: z.array(funnelRowSchema),
  inviters: z.array(funnelRowSchema),
});
export type FunnelDashboardAnswer = z.infer<typeof funnelDashboardAnswerSchema>;

/** `?format=csv` answers the same numbers as CSV. */
export const funnelQuerySchema = z.object({ format: z.enum(['json', 'csv']).default('json') });

/** The join link's parameter that names the invitation (no tracking pixel: opening the link records "opened"). */
export const invitationLinkParam = 'inv';

export const invitationOpenedBodySchema = z.object({ token: z.string().min(1).max(200) });
