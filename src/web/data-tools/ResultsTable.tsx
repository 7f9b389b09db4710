import { Badge, Button, Group, Loader, Select, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { useDataJobResults, type DataJob } from './data-jobs.api';
import { byOutcomeOrder, formatCount, outcomeColor, outcomeLabel, reasonLabel } from './words';

/** The per-row log, a page at a time, filtered by outcome or skip reason (`outcome:…`, `reason:…`). */
export function ResultsTable(props: {
  readonly job: DataJob;
  readonly filter: string;
  readonly onFilterChange: (filter: string) => void;
}) {
  const { job, filter } = props;
  // cursors of the pages seen so far, so that Previous goes back without the server's help
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  // a new filter starts again at the first page
  const [pagedFilter, setPagedFilter] = useState(filter);
  if (pagedFilter !== filter) {
    setPagedFilter(filter);
    setCursors([null]);
  }
  const cursor = cursors[cursors.length - 1] ?? null;
  const results = useDataJobResults(job.id, filter, cursor);
  const columns = job.columns ?? [];
  const present = (counts: Readonly<Record<string, number>> | undefined) =>
    Object.entries(counts ?? {}).filter(([, count]) => count > 0);
  const options = [
    { value: '', label: 'All rows' },
    ...byOutcomeOrder(present(job.counters?.outcomes)).map(([code, count]) => ({
      value: `outcome:${code}`,
      label: `${outcomeLabel(code)} (${formatCount(count)})`,
    })),
    ...present(job.counters?.reasons).map(([code, count]) => ({
      value: `reason:${code}`,
      label: `Skipped: ${reasonLabel(code)} (${formatCount(count)})`,
    })),
  ];

  const choose = (value: string | null) => props.onFilterChange(value ?? '');

  return (
    <>
      <Group justify="space-between" mb="sm">
        <Select
          aria-label="Show rows"
          w={{ base: '100%', xs: 340 }}
          value={filter}
          onChange={choose}
          allowDeselect={false}
          data={options}
          data-testid="results-filter"
        />
        {results.isFetching && <Loader size="xs" />}
      </Group>

      {results.isPending && <LoadingState label="Loading rows…" minHeight={80} />}
      {results.isError && (
        <ErrorState error={results.error} title="The rows could not be loaded" onRetry={() => void results.refetch()} />
      )}

      {results.data && results.data.items.length === 0 && (
        <Text c="dimmed" size="sm" py="md" ta="center">
          {filter ? 'No rows with this outcome.' : 'No rows have been processed yet.'}
        </Text>
      )}

      {results.data && results.data.items.length > 0 && (
        <Table.ScrollContainer
          minWidth={600}
          type="native"
          tabIndex={0}
          role="region"
          aria-label="Rows of the job (scrolls sideways)"
        >
          <Table fz="sm" striped verticalSpacing={6} data-testid="results-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Row</Table.Th>
                {columns.map((column, index) => (
                  <Table.Th key={index}>{column}</Table.Th>
                ))}
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {results.data.items.map((row) => (
                <Table.Tr key={row.rowNumber}>
                  <Table.Td c="dimmed">{row.rowNumber}</Table.Td>
                  {columns.map((_, index) => (
                    <Table.Td key={index}>{row.values[index] ?? ''}</Table.Td>
                  ))}
                  <Table.Td>
                    <Badge color={outcomeColor(row.outcome)} variant="light" radius="sm">
                      {outcomeLabel(row.outcome)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{reasonLabel(row.reason, row.duplicateOf)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {(cursors.length > 1 || results.data?.nextCursor) && (
        <Group justify="flex-end" mt="sm" gap="xs">
          <Button
            size="xs"
            variant="default"
            disabled={cursors.length <= 1}
            onClick={() => setCursors((all) => all.slice(0, -1))}
          >
            Previous
          </Button>
          <Text size="sm" c="dimmed">
            Page {cursors.length}
          </Text>
          <Button
            size="xs"
            variant="default"
            disabled={!results.data?.nextCursor}
            onClick={() => setCursors((all) => [...all, results.data?.nextCursor ?? null])}
          >
            Next
          </Button>
        </Group>
      )}
    </>
  );
}
