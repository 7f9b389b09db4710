import { Accordion, Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { DataJobCounts, FileRow } from './data-jobs.api';
import { formatCount, outcomeColor, outcomeLabel, reasonLabel } from './words';

/**
 * Counts by outcome, then skipped rows by reason, each reason with its sample rows when given
 * (the dry run has samples; the log links to the per-row table instead).
 */
export function OutcomeTotals(props: {
  readonly counts: DataJobCounts;
  readonly columns: readonly string[];
  readonly samples?: Readonly<Record<string, readonly FileRow[]>>;
  /** the dry run speaks of what would happen, the log of what did */
  readonly tense: 'dry-run' | 'log';
}) {
  const outcomes = Object.entries(props.counts.outcomes).filter(([outcome, count]) => count > 0 && outcome !== 'skipped');
  const reasons = Object.entries(props.counts.reasons).filter(([, count]) => count > 0);
  const skipped = props.counts.outcomes.skipped ?? reasons.reduce((sum, [, count]) => sum + count, 0);

  return (
    <Stack gap="md">
      <Group gap="md" align="stretch" data-testid="outcome-totals">
        {outcomes.map(([outcome, count]) => (
          <Total key={outcome} label={outcomeLabel(outcome)} count={count} color={outcomeColor(outcome)} />
        ))}
        <Total label={props.tense === 'dry-run' ? 'Would be skipped' : 'Skipped'} count={skipped} color={skipped > 0 ? 'red' : 'gray'} />
      </Group>

      {reasons.length > 0 && (
        <Paper withBorder radius="md">
          <Text fw={600} px="md" pt="sm" pb={4}>
            Skipped rows by reason
          </Text>
          <Accordion chevronPosition="left" variant="default" data-testid="skip-reasons">
            {reasons.map(([reason, count]) => {
              const samples = props.samples?.[reason] ?? [];
              return (
                <Accordion.Item key={reason} value={reason}>
                  <Accordion.Control disabled={samples.length === 0}>
                    <Group justify="space-between" pr="sm">
                      <Text size="sm">{reasonLabel(reason)}</Text>
                      <Badge color="red" variant="light">
                        {formatCount(count)}
                      </Badge>
                    </Group>
                  </Accordion.Control>
                  {samples.length > 0 && (
                    <Accordion.Panel>
                      <SampleRows columns={props.columns} samples={samples} />
                    </Accordion.Panel>
                  )}
                </Accordion.Item>
              );
            })}
          </Accordion>
        </Paper>
      )}
    </Stack>
  );
}

function Total({ label, count, color }: { readonly label: string; readonly count: number; readonly color: string }) {
  return (
    <Paper withBorder radius="md" px="md" py="sm" miw={150} style={{ borderTop: `3px solid var(--mantine-color-${color}-6)` }}>
      <Text size="xl" fw={700} lh={1.2}>
        {formatCount(count)}
      </Text>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </Paper>
  );
}

/** A few rows of the file, with their row numbers, as the dry run found them. */
export function SampleRows({ columns, samples }: { readonly columns: readonly string[]; readonly samples: readonly FileRow[] }) {
  return (
    <Table.ScrollContainer minWidth={300}>
      <Table fz="sm" withTableBorder verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Row</Table.Th>
            {columns.map((column, index) => (
              <Table.Th key={index}>{column}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {samples.map((sample) => (
            <Table.Tr key={sample.rowNumber}>
              <Table.Td c="dimmed">{sample.rowNumber}</Table.Td>
              {columns.map((_, index) => (
                <Table.Td key={index}>{sample.values[index] ?? ''}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
