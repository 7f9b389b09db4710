import { Stack, Text } from '@mantine/core';
import type { DataJobSummary } from './data-jobs.api';
import { byOutcomeOrder, formatCount, outcomeLabel } from './words';

/** The counts for the jobs table, one outcome a line ("120 invited", "4 skipped"), else the number of records. */
export function CountsSummary({ job }: { readonly job: DataJobSummary }) {
  const parts = byOutcomeOrder(Object.entries(job.counters?.outcomes ?? {}))
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${formatCount(count)} ${outcomeLabel(outcome).toLowerCase()}`);
  if (job.counters?.revoked) parts.push(`${formatCount(job.counters.revoked)} revoked by Undo`);
  if (parts.length > 0) {
    return (
      <Stack gap={0}>
        {parts.map((part) => (
          <Text key={part} size="sm" style={{ whiteSpace: 'nowrap' }}>
            {part}
          </Text>
        ))}
      </Stack>
    );
  }
  return (
    <Text size="sm" c="dimmed">
      {formatCount(job.rowCount)} {job.rowCount === 1 ? 'record' : 'records'}
    </Text>
  );
}
