import { BarChart } from '@mantine/charts';
import { Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { LandingStats } from '../../shared/landing';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { fetchLandingStats, landingStatsKey } from './landing-api';

const metrics: readonly { key: keyof LandingStats['totals']; label: string }[] = [
  { key: 'visits', label: 'Visits' },
  { key: 'codesSent', label: 'Codes sent' },
  { key: 'verified', label: 'Verified' },
  { key: 'joined', label: 'Joined' },
  { key: 'peopleCreated', label: 'New people' },
];

/** The page's funnel: visits → codes sent → verified → joined, and how many people it brought to the site. */
export function LandingStatsCard({ communityId }: { readonly communityId: number }) {
  const stats = useQuery({
    queryKey: landingStatsKey(communityId),
    queryFn: ({ signal }) => fetchLandingStats(communityId, signal),
    refetchInterval: 30_000,
  });
  return (
    <Paper withBorder p="lg">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Numbers
          </Title>
          <Button
            component="a"
            href={`/api/communities/${communityId}/landing/stats.csv`}
            download
            variant="default"
            size="xs"
          >
            Export CSV
          </Button>
        </Group>
        {stats.isPending ? (
          <LoadingState minHeight={80} />
        ) : stats.isError ? (
          <ErrorState error={stats.error} onRetry={() => stats.refetch()} />
        ) : (
          <>
            <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm" role="list" aria-label="Landing page totals">
              {metrics.map((m) => (
                <Stack key={m.key} gap={0} role="listitem">
                  <Text size="xl" fw={700}>
                    {stats.data.totals[m.key].toLocaleString()}
                  </Text>
                  <Text size="sm" c="gray.7">
                    {m.label}
                  </Text>
                </Stack>
              ))}
            </SimpleGrid>
            <div
              role="img"
              aria-label={`Bar chart of the page's funnel: ${metrics
                .slice(0, 4)
                .map((m) => `${m.label} ${stats.data.totals[m.key].toLocaleString()}`)
                .join(', ')}.`}
            >
              <BarChart
                h={180}
                data={metrics.slice(0, 4).map((m) => ({ step: m.label, count: stats.data.totals[m.key] }))}
                dataKey="step"
                series={[{ name: 'count', label: 'People', color: 'blue.7' }]}
                tickLine="y"
                withTooltip={false}
              />
            </div>
            {stats.data.days.length > 0 && (
              <Table.ScrollContainer
                minWidth={480}
                type="native"
                tabIndex={0}
                role="region"
                aria-label="Landing page numbers by day (scrolls sideways)"
              >
                <Table striped aria-label="Landing page numbers by day (last 30 days, UTC)">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Day (UTC)</Table.Th>
                      {metrics.map((m) => (
                        <Table.Th key={m.key} ta="right">
                          {m.label}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {[...stats.data.days].reverse().map((d) => (
                      <Table.Tr key={d.day}>
                        <Table.Td>{d.day}</Table.Td>
                        {metrics.map((m) => (
                          <Table.Td key={m.key} ta="right">
                            {d[m.key]}
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
