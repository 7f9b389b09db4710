import { Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import type { DataJobCounts, FileRow } from './data-jobs.api';
import { byOutcomeOrder, formatCount, outcomeColor, outcomeLabel, reasonLabel } from './words';

/**
 * Counts by outcome, then skipped rows by reason. The dry run opens each reason's sample rows in
 * place; the log hands the reason to `onShowRows`, which filters the row table below it.
 */
export function OutcomeTotals(props: {
  readonly counts: DataJobCounts;
  readonly columns: readonly string[];
  readonly samples?: Readonly<Record<string, readonly SampleRow[]>>;
  /** the dry run speaks of what would happen, the log of what did */
  readonly tense: 'dry-run' | 'log';
  readonly onShowRows?: (reason: string) => void;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const outcomes = byOutcomeOrder(Object.entries(props.counts.outcomes)).filter(
    ([outcome, count]) => count > 0 && outcome !== 'skipped',
  );
  const reasons = Object.entries(props.counts.reasons).filter(([, count]) => count > 0);
  const skipped = props.counts.outcomes.skipped ?? reasons.reduce((sum, [, count]) => sum + count, 0);

  return (
    <Stack gap="md">
      <Group gap="md" align="stretch" data-testid="outcome-totals">
        {outcomes.map(([outcome, count]) => (
          <Total key={outcome} label={outcomeLabel(outcome)} count={count} color={outcomeColor(outcome)} />
        ))}
        <Total
          label={props.tense === 'dry-run' ? 'Would be skipped' : 'Skipped'}
          count={skipped}
          color={skipped > 0 ? 'red' : 'gray'}
        />
      </Group>

      {reasons.length > 0 && (
        <Paper withBorder radius="md" data-testid="skip-reasons">
          <Table verticalSpacing="xs" horizontalSpacing="md">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Skipped because</Table.Th>
                <Table.Th ta="right">Rows</Table.Th>
                <Table.Th w={150} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reasons.map(([reason, count]) => {
                const samples = props.samples?.[reason] ?? [];
                const expanded = open === reason;
                return (
                  <Fragment key={reason}>
                    <Table.Tr>
                      <Table.Td>{reasonLabel(reason)}</Table.Td>
                      <Table.Td ta="right">
                        <Badge color="red" variant="light">
                          {formatCount(count)}
                        </Badge>
                      </Table.Td>
                      <Table.Td ta="right">
                        {props.onShowRows ? (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            onClick={() => props.onShowRows?.(reason)}
                            aria-label={`Show rows: ${reasonLabel(reason)}`}
                          >
                            Show rows
                          </Button>
                        ) : (
                          samples.length > 0 && (
                            <Button
                              size="compact-sm"
                              variant="subtle"
                              onClick={() => setOpen(expanded ? null : reason)}
                              aria-expanded={expanded}
                              aria-label={`${expanded ? 'Hide' : 'Show'} sample rows: ${reasonLabel(reason)}`}
                            >
                              {expanded ? 'Hide sample rows' : 'Sample rows'}
                            </Button>
                          )
                        )}
                      </Table.Td>
                    </Table.Tr>
                    {expanded && (
                      <Table.Tr>
                        <Table.Td colSpan={3} bg="var(--mantine-color-gray-0)">
                          <SampleRows columns={props.columns} samples={samples} />
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}

function Total({ label, count, color }: { readonly label: string; readonly count: number; readonly color: string }) {
  return (
    <Paper
      withBorder
      radius="md"
      px="md"
      py="sm"
      miw={150}
      style={{ borderTop: `3px solid var(--mantine-color-${color}-6)` }}
    >
      <Text size="xl" fw={700} lh={1.2}>
        {formatCount(count)}
      </Text>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </Paper>
  );
}

/** A dry run's sample row; a duplicate names the earlier row of the file it repeats. */
export type SampleRow = FileRow & { readonly duplicateOf?: number };

/** A few rows of the file, with their row numbers, as the dry run found them. */
export function SampleRows({
  columns,
  samples,
}: {
  readonly columns: readonly string[];
  readonly samples: readonly SampleRow[];
}) {
  const duplicates = samples.some((s) => s.duplicateOf);
  return (
    <Table.ScrollContainer minWidth={300}>
      <Table fz="sm" withTableBorder verticalSpacing={4} bg="var(--mantine-color-body)">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Row</Table.Th>
            {columns.map((column, index) => (
              <Table.Th key={index}>{column}</Table.Th>
            ))}
            {duplicates && <Table.Th>Repeats</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {samples.map((sample) => (
            <Table.Tr key={sample.rowNumber}>
              <Table.Td c="dimmed">{sample.rowNumber}</Table.Td>
              {columns.map((_, index) => (
                <Table.Td key={index}>{sample.values[index] ?? ''}</Table.Td>
              ))}
              {duplicates && <Table.Td>{sample.duplicateOf ? `Duplicate of row ${sample.duplicateOf}` : ''}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
