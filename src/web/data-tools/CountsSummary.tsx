import { Text } from '@mantine/core';
import type { DataJob } from './data-jobs.api';
import { formatCount, outcomeLabel } from './words';

/** One line of counts for the jobs table: "120 invited · 4 skipped", or the number of records. */
export function CountsSummary({ job }: { readonly job: DataJob }) {
  const counts = job.counters?.byOutcome ?? {};
  const parts = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${formatCount(count)} ${outcomeLabel(outcome).toLowerCase()}`);
  if (parts.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {formatCount(job.rowCount)} {job.rowCount === 1 ? 'record' : 'records'}
      </Text>
    );
  }
  return <Text size="sm">{parts.join(' · ')}</Text>;
}
