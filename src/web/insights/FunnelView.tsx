/**
 * A funnel as numbers, two charts (the steps, and invitations and joins per week) and the same
 * figures as tables (the charts' text alternative), with a CSV download.
 */
import { BarChart, LineChart } from '@mantine/charts';
import { Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { type Funnel, funnelStepLabels, funnelSteps, type FunnelWeek } from '../../shared/insights';

interface FunnelViewProps {
  /** the heading's id prefix, unique on the page */
  readonly id: string;
  readonly title: string;
  readonly funnel: Funnel;
  readonly weeks: readonly FunnelWeek[];
  /** where the CSV comes from */
  readonly csvHref: string;
}

const percent = (n: number, of: number) => (of > 0 ? `${Math.round((n / of) * 100)}%` : '—');

export function FunnelView({ id, title, funnel, weeks, csvHref }: FunnelViewProps) {
  const steps = funnelSteps.map((s) => ({ step: funnelStepLabels[s], count: funnel[s] }));
  const stepsWord = steps.map((s) => `${s.step} ${s.count.toLocaleString()}`).join(', ');
  const weekly = weeks.map((w) => ({ week: w.week, Invited: w.invited, Joined: w.joined }));
  return (
    <Stack gap="md" component="section" aria-labelledby={`${id}-title`}>
      <Group justify="space-between">
        <Title order={2} size="h4" id={`${id}-title`}>
          {title}
        </Title>
        <Button component="a" href={csvHref} download variant="default" size="xs">
          Export CSV
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 2, xs: 3, md: 5, lg: 9 }} spacing="xs">
        {funnelSteps.map((s) => (
          <Paper key={s} withBorder p="sm">
            <Text size="xs" c="dimmed" fw={700} tt="uppercase">
              {funnelStepLabels[s]}
            </Text>
            <Text fz={22} fw={700} data-testid={`${id}-${s}`}>
              {funnel[s].toLocaleString()}
            </Text>
            {s !== 'invited' && (
              <Text size="xs" c="dimmed">
                {percent(funnel[s], funnel.invited)} of invited
              </Text>
            )}
          </Paper>
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="md">
          <Title order={3} size="h5" mb="xs" id={`${id}-steps`}>
            Where the invitations stand
          </Title>
          <figure style={{ margin: 0 }} aria-labelledby={`${id}-steps`}>
            <div role="img" aria-label={`Bar chart of invitations per step: ${stepsWord}.`}>
              <BarChart
                h={280}
                data={steps}
                dataKey="step"
                orientation="vertical"
                series={[{ name: 'count', label: 'Invitations', color: 'blue.7' }]}
                gridAxis="x"
                yAxisProps={{ width: 90, interval: 0 }}
                withTooltip={false}
              />
            </div>
          </figure>
        </Paper>
        <Paper withBorder p="md">
          <Title order={3} size="h5" mb="xs" id={`${id}-weeks`}>
            Invitations and joins per week
          </Title>
          {weekly.length === 0 ? (
            <Text size="sm" c="dimmed">
              No invitations yet.
            </Text>
          ) : (
            <figure style={{ margin: 0 }} aria-labelledby={`${id}-weeks`}>
              <div
                role="img"
                aria-label={`Line chart of invitations and joins per week, ${weekly.length} weeks; the table below lists them.`}
              >
                <LineChart
                  h={240}
                  data={weekly}
                  dataKey="week"
                  series={[
                    { name: 'Invited', color: 'blue.7' },
                    { name: 'Joined', color: 'teal.8' },
                  ]}
                  withLegend
                  withTooltip={false}
                  curveType="linear"
                />
              </div>
            </figure>
          )}
        </Paper>
      </SimpleGrid>
      {weeks.length > 0 && (
        <details>
          <summary>
            <Text span size="sm">
              Per week, as a table
            </Text>
          </summary>
          <Table.ScrollContainer
            minWidth={720}
            type="native"
            tabIndex={0}
            role="region"
            aria-label={`${title} per week (scrolls sideways)`}
          >
            <Table striped verticalSpacing={4} fz="sm" aria-label={`${title} per week`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Week of</Table.Th>
                  {funnelSteps.map((s) => (
                    <Table.Th key={s} ta="right">
                      {funnelStepLabels[s]}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...weeks].reverse().map((w) => (
                  <Table.Tr key={w.week}>
                    <Table.Td>{w.week}</Table.Td>
                    {funnelSteps.map((s) => (
                      <Table.Td key={s} ta="right">
                        {w[s].toLocaleString()}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </details>
      )}
      <VisuallyHidden>{`${title}: ${stepsWord}.`}</VisuallyHidden>
    </Stack>
  );
}

/** A named list (communities, inviters) with each one's funnel. */
export function FunnelTable({
  label,
  rows,
}: {
  readonly label: string;
  readonly rows: readonly (Funnel & { id: number; name: string })[];
}) {
  if (!rows.length)
    return (
      <Text size="sm" c="dimmed">
        None yet.
      </Text>
    );
  return (
    <Table.ScrollContainer
      minWidth={720}
      type="native"
      tabIndex={0}
      role="region"
      aria-label={`${label} (scrolls sideways)`}
    >
      <Table striped verticalSpacing={4} fz="sm" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            {funnelSteps.map((s) => (
              <Table.Th key={s} ta="right">
                {funnelStepLabels[s]}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{r.name}</Table.Td>
              {funnelSteps.map((s) => (
                <Table.Td key={s} ta="right">
                  {r[s].toLocaleString()}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
