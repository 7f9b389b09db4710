/** The funnel views as CSV: one line per step, per week, per community or inviter. */
import { type Funnel, funnelStepLabels, funnelSteps, type FunnelWeek } from '../../shared/insights.js';
import { csvLine } from '../http/csv.js';

/** `Section,Name,Week,<steps…>`: the totals, then each week, then each named row. */
export function funnelCsv(
  totals: Funnel,
  weeks: readonly FunnelWeek[],
  rows: readonly { section: string; name: string; funnel: Funnel }[] = [],
): string {
  const counts = (f: Funnel) => funnelSteps.map((s) => f[s]);
  return [
    csvLine(['Section', 'Name', 'Week', ...funnelSteps.map((s) => funnelStepLabels[s])]),
    csvLine(['Total', '', '', ...counts(totals)]),
    ...weeks.map((w) => csvLine(['Week', '', w.week, ...counts(w)])),
    ...rows.map((r) => csvLine([r.section, r.name, '', ...counts(r.funnel)])),
  ].join('');
}
